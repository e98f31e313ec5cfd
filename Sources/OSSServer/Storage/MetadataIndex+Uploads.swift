import Foundation
import OSSProtocol

/// Multipart upload rows.
extension MetadataIndex {
    func insertUpload(_ upload: UploadRecord) throws {
        try connection.run("""
            INSERT INTO uploads(upload_id, bucket, key, initiated_ms, acl, storage_class, headers, meta)
            VALUES(?,?,?,?,?,?,?,?)
            """, [.text(upload.uploadId), .text(upload.bucket), .blob(Array(upload.key.utf8)),
                  .integer(upload.initiatedMillis), .text(upload.acl.rawValue), .text(upload.storageClass),
                  .text(MetadataCoding.encode(upload.standardHeaders)), .text(MetadataCoding.encode(upload.userMetadata))])
    }

    func upload(id: String) throws -> UploadRecord? {
        var result: UploadRecord?
        try connection.query("""
            SELECT upload_id, bucket, key, initiated_ms, acl, storage_class, headers, meta FROM uploads WHERE upload_id=?
            """, [.text(id)]) { result = Self.uploadRecord($0) }
        return result
    }

    /// Uploads of `bucket` ordered by (key, upload id), starting after the given markers.
    func uploads(bucket: String, keyMarker: String, uploadIdMarker: String, limit: Int) throws -> [UploadRecord] {
        var result: [UploadRecord] = []
        let key = Array(keyMarker.utf8)
        try connection.query("""
            SELECT upload_id, bucket, key, initiated_ms, acl, storage_class, headers, meta FROM uploads
            WHERE bucket=? AND (key > ? OR (key = ? AND upload_id > ?)) ORDER BY key, upload_id LIMIT ?
            """, [.text(bucket), .blob(key), .blob(key), .text(uploadIdMarker), .integer(Int64(limit))]) {
            result.append(Self.uploadRecord($0))
        }
        return result
    }

    func deleteUpload(id: String) throws {
        try connection.run("DELETE FROM parts WHERE upload_id=?", [.text(id)])
        try connection.run("DELETE FROM uploads WHERE upload_id=?", [.text(id)])
    }

    func parts(uploadId: String, after marker: Int = 0, limit: Int = 10_001) throws -> [PartRecord] {
        var result: [PartRecord] = []
        try connection.query("""
            SELECT upload_id, part_number, size, etag, crc64, mtime_ms, data_id FROM parts
            WHERE upload_id=? AND part_number > ? ORDER BY part_number LIMIT ?
            """, [.text(uploadId), .integer(Int64(marker)), .integer(Int64(limit))]) { row in
            result.append(PartRecord(uploadId: row.text(0) ?? "", number: Int(row.integer(1)), size: row.integer(2),
                                     etag: row.text(3) ?? "", crc64: UInt64(bitPattern: row.integer(4)),
                                     lastModifiedMillis: row.integer(5), dataId: row.text(6)))
        }
        return result
    }

    func part(uploadId: String, number: Int) throws -> PartRecord? {
        try parts(uploadId: uploadId, after: number - 1, limit: 1).first { $0.number == number }
    }

    func upsertPart(_ part: PartRecord) throws {
        try connection.run("""
            INSERT OR REPLACE INTO parts(upload_id, part_number, size, etag, crc64, mtime_ms, data_id)
            VALUES(?,?,?,?,?,?,?)
            """, [.text(part.uploadId), .integer(Int64(part.number)), .integer(part.size), .text(part.etag),
                  .integer(Int64(bitPattern: part.crc64)), .integer(part.lastModifiedMillis),
                  part.dataId.map { .text($0) } ?? .null])
    }

    private static func uploadRecord(_ row: SQLiteRow) -> UploadRecord {
        UploadRecord(uploadId: row.text(0) ?? "", bucket: row.text(1) ?? "",
                     key: String(decoding: row.blob(2) ?? [], as: UTF8.self), initiatedMillis: row.integer(3),
                     acl: ObjectACL(rawValue: row.text(4) ?? "") ?? .default, storageClass: row.text(5) ?? "Standard",
                     standardHeaders: MetadataCoding.decode(row.text(6)), userMetadata: MetadataCoding.decode(row.text(7)))
    }
}
