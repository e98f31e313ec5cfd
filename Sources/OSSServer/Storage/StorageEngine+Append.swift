import Foundation
import OSSProtocol

extension StorageEngine {
    /// AppendObject: adds the received temp data at `position` (oss-protocol.md 2.9). `makeRecord`
    /// builds the row for a new object (first append). Returns the committed record.
    func append(bucket: String, key: String, position: Int64, received: WrittenData,
                makeRecord: (WrittenData) -> ObjectRecord) throws -> ObjectRecord {
        defer { directory.removeTemp(received.id) }
        return try exclusively {
            guard bucketCache[bucket] != nil else { throw ServerError.noSuchBucket(bucket) }
            let existing = try index.object(bucket: bucket, key: key)
            if let existing, existing.type != .appendable { throw ServerError.objectNotAppendable }
            let length = existing?.size ?? 0
            guard position == length else { throw ServerError.positionNotEqualToLength(length) }
            if let existing, let id = existing.dataId {
                if received.size == 0 { return existing }
                let writer = try DataFileWriter(directory: directory, appendingTo: id, length: existing.size, crc: existing.crc64)
                do {
                    try writer.copy(path: directory.tempPath(for: received.id), length: received.size, crc: received.crc64)
                    _ = try writer.finish()
                } catch { writer.abandon(); throw error }
                var record = existing
                record.size += received.size
                record.crc64 = CRC64.combine(existing.crc64, received.crc64, length2: received.size)
                record.lastModifiedMillis = currentMillis()
                record.etag = Self.appendETag(id: id, size: record.size)
                try index.upsertObject(record)
                return record
            }
            // New object (or an empty appendable one without data): the received file becomes the data.
            var record = existing ?? makeRecord(received)
            if received.size > 0 {
                try directory.install(id: received.id)
                record.dataId = received.id
            }
            record.size = received.size
            record.crc64 = received.crc64
            record.type = .appendable
            record.lastModifiedMillis = currentMillis()
            record.etag = Self.appendETag(id: record.dataId ?? received.id, size: record.size)
            do { try index.upsertObject(record) } catch { directory.remove(record.dataId); throw error }
            return record
        }
    }

    /// An opaque ETag for appendable objects (not an MD5, as on OSS).
    static func appendETag(id: String, size: Int64) -> String {
        Digest.etag(Data("\(id):\(size)".utf8))
    }
}
