import Foundation
import OSSProtocol

extension StorageEngine {
    func createUpload(_ upload: UploadRecord) throws {
        try exclusively {
            guard bucketCache[upload.bucket] != nil else { throw ServerError.noSuchBucket(upload.bucket) }
            try index.insertUpload(upload)
        }
    }

    /// The upload, checked to belong to `bucket`/`key`.
    func upload(id: String, bucket: String, key: String) throws -> UploadRecord {
        try exclusively {
            guard let upload = try index.upload(id: id), upload.bucket == bucket, upload.key == key else {
                throw ServerError.noSuchUpload(id)
            }
            return upload
        }
    }

    /// Records an uploaded part (data already installed); replaces an earlier part with that number.
    func commitPart(_ part: PartRecord, bucket: String, key: String) throws {
        let replaced: String? = try exclusively {
            do {
                guard let upload = try index.upload(id: part.uploadId), upload.bucket == bucket, upload.key == key else {
                    throw ServerError.noSuchUpload(part.uploadId)
                }
                return try index.connection.transaction {
                    let old = try index.part(uploadId: part.uploadId, number: part.number)
                    try index.upsertPart(part)
                    return old?.dataId
                }
            } catch {
                directory.remove(part.dataId)
                throw error
            }
        }
        directory.remove(replaced)
    }

    func parts(uploadId: String, after marker: Int = 0, limit: Int = 10_001) throws -> [PartRecord] {
        try exclusively { try index.parts(uploadId: uploadId, after: marker, limit: limit) }
    }

    func uploads(bucket: String, keyMarker: String, uploadIdMarker: String, limit: Int) throws -> [UploadRecord] {
        try exclusively {
            guard bucketCache[bucket] != nil else { throw ServerError.noSuchBucket(bucket) }
            return try index.uploads(bucket: bucket, keyMarker: keyMarker, uploadIdMarker: uploadIdMarker, limit: limit)
        }
    }

    /// AbortMultipartUpload: drops the upload and its parts' data.
    func abortUpload(id: String, bucket: String, key: String) throws {
        let removed: [String] = try exclusively {
            guard let upload = try index.upload(id: id), upload.bucket == bucket, upload.key == key else {
                throw ServerError.noSuchUpload(id)
            }
            let ids = try index.parts(uploadId: id).compactMap(\.dataId)
            try index.connection.transaction { try index.deleteUpload(id: id) }
            return ids
        }
        removed.forEach { directory.remove($0) }
    }

    /// Completes an upload: commits the object, whose data files are (some of) the upload's part
    /// files, and removes the upload and its rows in one transaction; then deletes the part files
    /// the object does not use and the replaced object's data.
    func completeUpload(id: String, record: ObjectRecord, forbidOverwrite: Bool) throws {
        let removed: [String] = try exclusively {
            do {
                guard try index.upload(id: id) != nil else { throw ServerError.noSuchUpload(id) }
                guard bucketCache[record.bucket] != nil else { throw ServerError.noSuchBucket(record.bucket) }
                return try index.connection.transaction {
                    let old = try index.object(bucket: record.bucket, key: record.key)
                    if old != nil && forbidOverwrite { throw ServerError.fileAlreadyExists }
                    let used = Set(record.dataIds)
                    var ids = try index.parts(uploadId: id).compactMap(\.dataId).filter { !used.contains($0) }
                    try index.deleteUpload(id: id)
                    try index.upsertObject(record)
                    ids += (old?.dataIds ?? []).filter { !used.contains($0) }
                    return ids
                }
            }
        }
        removed.forEach { directory.remove($0) }
    }
}
