import Foundation
import OSSProtocol

extension StorageEngine {
    /// CopyObject: looks the source up, lets `build` check it (preconditions, ACL, type) and derive
    /// the destination row, gives the destination its own name for the data (a hard link, so the
    /// copy costs no I/O) and commits, all under the lock so the source cannot change in between.
    /// With `sameKey` the row is updated in place (metadata edit; no data touched).
    func copyObject(sourceBucket: String, sourceKey: String, destinationBucket: String, destinationKey: String,
                    forbidOverwrite: Bool, build: (ObjectRecord) throws -> ObjectRecord) throws -> ObjectRecord {
        let (record, replaced): (ObjectRecord, [String]) = try exclusively {
            guard bucketCache[sourceBucket] != nil else { throw ServerError.noSuchBucket(sourceBucket) }
            guard bucketCache[destinationBucket] != nil else { throw ServerError.noSuchBucket(destinationBucket) }
            guard let source = try index.object(bucket: sourceBucket, key: sourceKey) else {
                throw ServerError.noSuchKey(sourceKey)
            }
            let sameKey = sourceBucket == destinationBucket && sourceKey == destinationKey
            var record = try build(source)
            record.bucket = destinationBucket
            record.key = destinationKey
            if sameKey {
                record.dataId = source.dataId
                record.segments = source.segments
                try index.upsertObject(record)
                return (record, [])
            }
            if forbidOverwrite, try index.object(bucket: destinationBucket, key: destinationKey) != nil {
                throw ServerError.fileAlreadyExists
            }
            var linked: [String] = []
            do {
                record.dataId = try source.dataId.map { id in
                    let copy = try directory.link(id)
                    linked.append(copy)
                    return copy
                }
                record.segments = try source.segments?.map { segment in
                    let copy = try directory.link(segment.id)
                    linked.append(copy)
                    return DataSegment(id: copy, size: segment.size)
                }
                let old = try index.connection.transaction { () throws -> ObjectRecord? in
                    let old = try index.object(bucket: destinationBucket, key: destinationKey)
                    try index.upsertObject(record)
                    return old
                }
                return (record, old?.dataIds ?? [])
            } catch {
                linked.forEach { directory.remove($0) }
                throw error
            }
        }
        replaced.forEach { directory.remove($0) }
        return record
    }

    /// Opens the data of `key` for UploadPartCopy: the row and its open data files.
    func openSource(bucket: String, key: String) throws -> (record: ObjectRecord, files: [OpenSegment]) {
        guard self.bucket(bucket) != nil else { throw ServerError.noSuchBucket(bucket) }
        guard let opened = try openObject(bucket: bucket, key: key) else { throw ServerError.noSuchKey(key) }
        return opened
    }
}
