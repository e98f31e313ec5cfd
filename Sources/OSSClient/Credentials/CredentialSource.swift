import Foundation

/// One place temporary credentials are read from (a directory of files, a command, the ECS
/// metadata service). `RefreshingCredentialsProvider` decides when to ask.
public protocol CredentialSource: Sendable {
    /// Reads the credentials now; throws `CredentialsError`.
    func fetch() async throws -> ExpiringCredentials

    /// True when the source changed since the last `fetch` (e.g. the files were replaced), so the
    /// credentials must be read again before their expiry. Cheap: called before every request.
    func hasChanged() -> Bool

    /// Names the source in messages, e.g. `credential_process "cmd"`.
    var name: String { get }
}

extension CredentialSource {
    /// Sources that cannot tell: never.
    public func hasChanged() -> Bool { false }
}

/// When credentials are fetched again: a pure decision (no clock of its own).
public enum RefreshSchedule {
    /// At most this long before expiry (as the SDKs and ossfs 2.0 do, minutes ahead).
    public static let maximumMargin: TimeInterval = 300

    /// True when credentials fetched at `fetchedAt` that expire at `expiration` should be fetched
    /// again at `now`: within min(5 min, a quarter of their lifetime) of the expiry, or past it.
    public static func isDue(expiration: Date?, fetchedAt: Date, now: Date) -> Bool {
        guard let expiration else { return false }
        let lifetime = max(0, expiration.timeIntervalSince(fetchedAt))
        return now >= expiration.addingTimeInterval(-min(maximumMargin, lifetime / 4))
    }

    /// True when `expiration` has passed at `now`.
    public static func isExpired(_ expiration: Date?, now: Date) -> Bool {
        guard let expiration else { return false }
        return now >= expiration
    }
}
