import Foundation
import OSSProtocol

/// The `restores` table: one row per key with a restore asked for (RestoreRecord).
extension MetadataIndex {
    static let restoreSchema = """
        CREATE TABLE IF NOT EXISTS restores(
            bucket TEXT NOT NULL, key BLOB NOT NULL, etag TEXT NOT NULL, object_ms INTEGER NOT NULL,
            ready_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, tier TEXT,
            PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        """

    func restore(bucket: String, key: String) throws -> RestoreRecord? {
        var record: RestoreRecord?
        try connection.query("""
            SELECT etag, object_ms, ready_ms, expires_ms, tier FROM restores WHERE bucket=? AND key=?
            """, [.text(bucket), .blob(Array(key.utf8))]) { row in
            record = RestoreRecord(bucket: bucket, key: key, etag: row.text(0) ?? "", objectMillis: row.integer(1),
                                   readyMillis: row.integer(2), expiresMillis: row.integer(3), tier: row.text(4))
        }
        return record
    }

    func saveRestore(_ r: RestoreRecord) throws {
        try connection.run("""
            INSERT OR REPLACE INTO restores(bucket, key, etag, object_ms, ready_ms, expires_ms, tier) VALUES(?,?,?,?,?,?,?)
            """, [.text(r.bucket), .blob(Array(r.key.utf8)), .text(r.etag), .integer(r.objectMillis),
                  .integer(r.readyMillis), .integer(r.expiresMillis), r.tier.map { .text($0) } ?? .null])
    }
}

extension StorageEngine {
    /// The restore status of `object` now (frozen for classes that need no restore: callers ask only
    /// for archive classes, so Standard objects cost no lookup).
    func restoreStatus(of object: ObjectRecord, now: Int64 = currentPreciseMillis()) throws -> RestoreStatus {
        guard RestoreStatus.needsRestore(object.storageClass) else { return .frozen }
        let row = try exclusively { try index.restore(bucket: object.bucket, key: object.key) }
        return RestoreRules.status(of: object, row: row, now: now)
    }

    /// RestoreObject on the object at `key` (already followed through a link by the caller): checks
    /// under the lock that it is still `object`, applies `RestoreRules.request`, stores the row.
    func requestRestore(_ object: ObjectRecord, days: Int, tier: String?, delayMillis: Int64,
                        now: Int64 = currentPreciseMillis()) throws -> RestoreRules.Outcome {
        try exclusively {
            guard let current = try index.object(bucket: object.bucket, key: object.key) else {
                throw ServerError.noSuchKey(object.key)
            }
            let row = try index.restore(bucket: current.bucket, key: current.key)
            let outcome = RestoreRules.request(current, row: row, days: days, tier: tier, delay: delayMillis, now: now)
            switch outcome {
            case .started(let record), .extended(let record): try index.saveRestore(record)
            case .inProgress: break
            }
            return outcome
        }
    }
}

/// Now in milliseconds since 1970, not truncated (restore delays may be shorter than a second).
func currentPreciseMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
