import Foundation
import Logging

/// Credentials from a `CredentialSource`, fetched on first use, again ahead of their expiry
/// (`RefreshSchedule`), when the source reports a change, and once after the server refused them.
/// Concurrent callers share one fetch. A failed refresh keeps the current credentials while they
/// are still valid (and says so through `log`); past expiry it fails the request.
public actor RefreshingCredentialsProvider: CredentialsProvider {
    private let source: any CredentialSource
    private let now: @Sendable () -> Date
    private let log: Logger
    private var current: ExpiringCredentials?
    private var fetchedAt = Date(timeIntervalSince1970: 0)
    private var inFlight: Task<ExpiringCredentials, Error>?

    /// `now` is the clock (tests pass their own); `log` hears refreshes and refresh failures.
    public init(source: any CredentialSource, now: @escaping @Sendable () -> Date = { Date() },
                log: Logger = Logger(label: "ossfuse.credentials")) {
        self.source = source; self.now = now; self.log = log
    }

    /// The current credentials, fetched again first when due.
    public func credentials() async throws -> Credentials {
        if let current, !RefreshSchedule.isDue(expiration: current.expiration, fetchedAt: fetchedAt, now: now()),
           !source.hasChanged() {
            return current.credentials
        }
        do {
            return try await fetch().credentials
        } catch {
            guard let current, !RefreshSchedule.isExpired(current.expiration, now: now()) else { throw error }
            log.warning("credentials: refresh from \(source.name) failed, still using the current ones: \(error)")
            return current.credentials
        }
    }

    /// Fetches again unless another caller already replaced `refused`.
    public func refresh(after refused: Credentials) async throws -> Credentials? {
        if let current, current.credentials != refused { return current.credentials }
        let fresh = try await fetch()
        return fresh.credentials == refused ? nil : fresh.credentials
    }

    /// One fetch shared by every concurrent caller; each waiter stores its result before returning,
    /// so no caller resumed early can still read the credentials being replaced.
    private func fetch() async throws -> ExpiringCredentials {
        let task: Task<ExpiringCredentials, Error>
        if let inFlight {
            task = inFlight
        } else {
            let source = self.source
            task = Task { try await source.fetch() }
            inFlight = task
        }
        defer { if inFlight == task { inFlight = nil } }
        let fresh = try await task.value
        if current != fresh {
            let until = fresh.expiration.map { " valid until \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            if current?.credentials != fresh.credentials {
                log.info("credentials: access key \(fresh.credentials.accessKeyId) from \(source.name)\(until)")
            }
            current = fresh
        }
        fetchedAt = now()
        return fresh
    }
}
