import Foundation
import OSSProtocol

/// The SQLite metadata index: buckets, objects, multipart uploads and parts.
/// Not thread-safe by itself; `StorageEngine` serialises access. Keys are stored as BLOBs so the
/// primary-key index orders them bytewise, which is the order OSS listings use.
final class MetadataIndex {
    let connection: SQLiteConnection
    /// Index rows listings have stepped through since the index was opened (tests check that a
    /// listing reads O(entries returned) rows).
    private(set) var rowsScanned = 0

    /// Opens the index at `path`, in WAL mode, creating the schema if needed.
    init(path: String) throws {
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode=WAL")
        // WAL + NORMAL: a commit is in the WAL (the OS's page cache) before it returns, so it
        // survives a crash of this process (kill -9); only an OS crash may roll back the newest
        // commits. FULL would add an fsync to every commit, serialised under the storage lock.
        try connection.execute("PRAGMA synchronous=NORMAL")
        try connection.execute("PRAGMA foreign_keys=OFF")
        try connection.execute(Self.schema)
        try connection.execute(Self.restoreSchema)
        // Stores made before multi-file objects existed: add the column (fails harmlessly if present).
        try? connection.execute("ALTER TABLE objects ADD COLUMN segments TEXT")
    }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS buckets(
            name TEXT PRIMARY KEY NOT NULL, created_ms INTEGER NOT NULL, acl TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS objects(
            bucket TEXT NOT NULL, key BLOB NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL,
            etag TEXT NOT NULL, crc64 INTEGER NOT NULL, content_md5 TEXT, mtime_ms INTEGER NOT NULL,
            acl TEXT NOT NULL, storage_class TEXT NOT NULL, headers TEXT NOT NULL, meta TEXT NOT NULL,
            data_id TEXT, target BLOB, segments TEXT, PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS uploads(
            upload_id TEXT PRIMARY KEY NOT NULL, bucket TEXT NOT NULL, key BLOB NOT NULL,
            initiated_ms INTEGER NOT NULL, acl TEXT NOT NULL, storage_class TEXT NOT NULL,
            headers TEXT NOT NULL, meta TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads(bucket, key, upload_id);
        CREATE TABLE IF NOT EXISTS parts(
            upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, size INTEGER NOT NULL,
            etag TEXT NOT NULL, crc64 INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, data_id TEXT,
            PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID;
        """

    // MARK: Buckets

    func buckets() throws -> [BucketRecord] {
        var result: [BucketRecord] = []
        try connection.query("SELECT name, created_ms, acl FROM buckets ORDER BY name") { row in
            result.append(BucketRecord(name: row.text(0) ?? "", createdMillis: row.integer(1),
                                       acl: ObjectACL(rawValue: row.text(2) ?? "") ?? .private))
        }
        return result
    }

    func insertBucket(_ bucket: BucketRecord) throws {
        try connection.run("INSERT OR IGNORE INTO buckets(name, created_ms, acl) VALUES(?,?,?)",
                           [.text(bucket.name), .integer(bucket.createdMillis), .text(bucket.acl.rawValue)])
    }

    func setBucketACL(_ name: String, _ acl: ObjectACL) throws {
        try connection.run("UPDATE buckets SET acl=? WHERE name=?", [.text(acl.rawValue), .text(name)])
    }

    func deleteBucket(_ name: String) throws {
        try connection.run("DELETE FROM buckets WHERE name=?", [.text(name)])
    }

    func bucketHasContent(_ name: String) throws -> Bool {
        var found = false
        try connection.query("SELECT 1 FROM objects WHERE bucket=? LIMIT 1", [.text(name)]) { _ in found = true }
        if found { return true }
        try connection.query("SELECT 1 FROM uploads WHERE bucket=? LIMIT 1", [.text(name)]) { _ in found = true }
        return found
    }

    // MARK: Objects

    private static let objectColumns = """
        bucket, key, type, size, etag, crc64, content_md5, mtime_ms, acl, storage_class, headers, meta, data_id, target,
        segments
        """

    func object(bucket: String, key: String) throws -> ObjectRecord? {
        var record: ObjectRecord?
        try connection.query("SELECT \(Self.objectColumns) FROM objects WHERE bucket=? AND key=?",
                             [.text(bucket), .blob(Array(key.utf8))]) { row in
            record = Self.objectRecord(row)
        }
        return record
    }

    /// Inserts or replaces the row for `record.bucket`/`record.key`.
    func upsertObject(_ record: ObjectRecord) throws {
        try connection.run("INSERT OR REPLACE INTO objects(\(Self.objectColumns)) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            .text(record.bucket), .blob(Array(record.key.utf8)), .text(record.type.rawValue),
            .integer(record.size), .text(record.etag), .integer(Int64(bitPattern: record.crc64)),
            record.contentMD5.map { .text($0) } ?? .null, .integer(record.lastModifiedMillis),
            .text(record.acl.rawValue), .text(record.storageClass),
            .text(MetadataCoding.encode(record.standardHeaders)), .text(MetadataCoding.encode(record.userMetadata)),
            record.dataId.map { .text($0) } ?? .null,
            record.symlinkTarget.map { .blob(Array($0.utf8)) } ?? .null,
            record.segments.map { .text(Self.encodeSegments($0)) } ?? .null,
        ])
    }

    func deleteObject(bucket: String, key: String) throws {
        try connection.run("DELETE FROM objects WHERE bucket=? AND key=?", [.text(bucket), .blob(Array(key.utf8))])
    }

    /// What a range scan's visitor says after seeing one key.
    enum ScanStep {
        /// Decode this row into a `ListingEntry`, hand it over, and go on to the next row.
        case take
        /// Stop here (the row is not decoded).
        case stop
    }

    /// Steps through the keys of `bucket` from `from` (inclusive or not) up to `before` (exclusive,
    /// nil: no bound) in byte order, calling `visit` with each raw key; a row is decoded into a
    /// `ListingEntry` only when `visit` takes it. Rows past the point where `visit` stops are never read.
    func scan(bucket: String, from: [UInt8], inclusive: Bool, before: [UInt8]?,
              visit: ([UInt8]) -> ScanStep, take: (ListingEntry) -> Void) throws {
        let op = inclusive ? ">=" : ">"
        var arguments: [SQLiteValue] = [.text(bucket), .blob(from)]
        var bound = ""
        if let before {
            bound = " AND key < ?"
            arguments.append(.blob(before))
        }
        try connection.scan("""
            SELECT key, type, size, etag, mtime_ms, storage_class FROM objects
            WHERE bucket=? AND key \(op) ?\(bound) ORDER BY key
            """, arguments) { row in
            rowsScanned += 1
            let key = row.blob(0) ?? []
            switch visit(key) {
            case .stop:
                return false
            case .take:
                take(ListingEntry(
                    key: String(decoding: key, as: UTF8.self),
                    type: ObjectType(rawValue: row.text(1) ?? "") ?? .normal, size: row.integer(2),
                    etag: row.text(3) ?? "", lastModifiedMillis: row.integer(4), storageClass: row.text(5) ?? "Standard"))
                return true
            }
        }
    }

    private static func objectRecord(_ row: SQLiteRow) -> ObjectRecord {
        ObjectRecord(
            bucket: row.text(0) ?? "", key: String(decoding: row.blob(1) ?? [], as: UTF8.self),
            type: ObjectType(rawValue: row.text(2) ?? "") ?? .normal, size: row.integer(3),
            etag: row.text(4) ?? "", crc64: UInt64(bitPattern: row.integer(5)), contentMD5: row.text(6),
            lastModifiedMillis: row.integer(7), acl: ObjectACL(rawValue: row.text(8) ?? "") ?? .default,
            storageClass: row.text(9) ?? "Standard", standardHeaders: MetadataCoding.decode(row.text(10)),
            userMetadata: MetadataCoding.decode(row.text(11)), dataId: row.text(12),
            symlinkTarget: row.blob(13).map { String(decoding: $0, as: UTF8.self) },
            segments: row.text(14).map(Self.decodeSegments))
    }

    static func encodeSegments(_ segments: [DataSegment]) -> String {
        (try? String(decoding: JSONEncoder().encode(segments), as: UTF8.self)) ?? "[]"
    }

    static func decodeSegments(_ text: String) -> [DataSegment] {
        (try? JSONDecoder().decode([DataSegment].self, from: Data(text.utf8))) ?? []
    }

    // MARK: Data ids (consistency)

    /// Every data id referenced by an object or a part.
    func referencedDataIds() throws -> Set<String> {
        var ids = Set<String>()
        try connection.query("SELECT data_id FROM objects WHERE data_id IS NOT NULL") { ids.insert($0.text(0) ?? "") }
        try connection.query("SELECT segments FROM objects WHERE segments IS NOT NULL") { row in
            for segment in Self.decodeSegments(row.text(0) ?? "[]") { ids.insert(segment.id) }
        }
        try connection.query("SELECT data_id FROM parts WHERE data_id IS NOT NULL") { ids.insert($0.text(0) ?? "") }
        return ids
    }

    /// (data id, expected size, appendable) for every referenced data file.
    func dataReferences() throws -> [(id: String, size: Int64, growable: Bool)] {
        var refs: [(id: String, size: Int64, growable: Bool)] = []
        try connection.query("SELECT data_id, size, type FROM objects WHERE data_id IS NOT NULL") { row in
            refs.append((row.text(0) ?? "", row.integer(1), row.text(2) == ObjectType.appendable.rawValue))
        }
        try connection.query("SELECT segments FROM objects WHERE segments IS NOT NULL") { row in
            for segment in Self.decodeSegments(row.text(0) ?? "[]") { refs.append((segment.id, segment.size, false)) }
        }
        try connection.query("SELECT data_id, size FROM parts WHERE data_id IS NOT NULL") { row in
            refs.append((row.text(0) ?? "", row.integer(1), false))
        }
        return refs
    }
}
