import Foundation
import OSSProtocol

/// One restore of one archive-class object, as kept in the `restores` table. It belongs to the
/// object version it was asked for (`etag` and `objectMillis`): once the key holds another object,
/// the row no longer applies and that object is frozen.
struct RestoreRecord: Sendable, Equatable {
    var bucket: String
    var key: String
    var etag: String
    var objectMillis: Int64
    /// When the restored copy becomes readable.
    var readyMillis: Int64
    /// When it stops being readable (the object is frozen again).
    var expiresMillis: Int64
    /// The tier asked for (`Expedited`, `Standard`, `Bulk`); nil for Archive objects.
    var tier: String?

    /// True when this row was made for `object` (same key, ETag and Last-Modified).
    func applies(to object: ObjectRecord) -> Bool {
        bucket == object.bucket && key == object.key && etag == object.etag && objectMillis == object.lastModifiedMillis
    }
}

/// The restore rule as a plain state machine (no I/O): the status of an object at a time, and what
/// a RestoreObject request does. Days and tiers are checked by `RestoreRules.validate`.
enum RestoreRules {
    static let dayMillis: Int64 = 86_400_000

    /// The status of `object` at `now`, given the restore row under its key (if any).
    static func status(of object: ObjectRecord, row: RestoreRecord?, now: Int64) -> RestoreStatus {
        guard RestoreStatus.needsRestore(object.storageClass), let row, row.applies(to: object) else { return .frozen }
        if now < row.readyMillis { return .ongoing }
        if now < row.expiresMillis { return .restored(until: Date(timeIntervalSince1970: Double(row.expiresMillis) / 1000)) }
        return .frozen
    }

    /// What RestoreObject does.
    enum Outcome: Equatable {
        /// 202 Accepted: a restore starts; store the row.
        case started(RestoreRecord)
        /// 200 OK: already restored; the row's expiry moves out to `days` from now.
        case extended(RestoreRecord)
        /// 409 RestoreAlreadyInProgress.
        case inProgress
    }

    /// The outcome of asking, at `now`, to restore `object` for `days`, the restore taking `delay` ms.
    static func request(_ object: ObjectRecord, row: RestoreRecord?, days: Int, tier: String?, delay: Int64,
                        now: Int64) -> Outcome {
        switch status(of: object, row: row, now: now) {
        case .ongoing:
            return .inProgress
        case .restored:
            var extended = row!
            extended.expiresMillis = max(extended.expiresMillis, now + Int64(days) * dayMillis)
            return .extended(extended)
        case .frozen:
            let ready = now + delay
            return .started(RestoreRecord(bucket: object.bucket, key: object.key, etag: object.etag,
                                          objectMillis: object.lastModifiedMillis, readyMillis: ready,
                                          expiresMillis: ready + Int64(days) * dayMillis, tier: tier))
        }
    }

    /// Checks a request body against the object's class and returns (days, tier): Days 1...7 for
    /// Archive and 1...365 for the cold classes (default 1); Tier only for the cold classes
    /// (default Standard), `Bulk` not for Deep Cold Archive. InvalidArgument otherwise.
    static func validate(_ body: RestoreRequest, storageClass: String) throws -> (days: Int, tier: String?) {
        let days = body.days ?? 1
        let archive = storageClass == "Archive"
        guard days >= 1, days <= (archive ? 7 : 365) else {
            throw ServerError.invalidRestoreDays(days)
        }
        if archive { return (days, nil) }
        let tier = body.tier ?? "Standard"
        let allowed = storageClass == "DeepColdArchive" ? ["Expedited", "Standard"] : ["Expedited", "Standard", "Bulk"]
        guard allowed.contains(tier) else {
            throw ServerError.invalidArgument("The Tier value is invalid.", name: "Tier", value: tier)
        }
        return (days, tier)
    }
}
