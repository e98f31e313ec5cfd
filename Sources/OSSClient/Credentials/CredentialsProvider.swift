import Foundation

/// Where a client's credentials come from, asked at signing time (before every attempt), so that
/// temporary (STS) credentials can be replaced while the client runs.
public protocol CredentialsProvider: Sendable {
    /// The credentials to sign the next request with; refreshed ahead of their expiry.
    func credentials() async throws -> Credentials

    /// Called once after the server refused `refused` (`SecurityTokenExpired`, `InvalidAccessKeyId`,
    /// `InvalidSecurityToken`): fetches anew. Returns credentials that differ from `refused`, or nil
    /// when the source has nothing newer (the refusal then stands).
    func refresh(after refused: Credentials) async throws -> Credentials?
}

/// Credentials that never change (an access key pair, or a token given once).
public struct StaticCredentialsProvider: CredentialsProvider {
    /// The credentials handed out.
    public let value: Credentials

    /// A provider that always answers `value`.
    public init(_ value: Credentials) { self.value = value }

    /// Always `value`.
    public func credentials() async throws -> Credentials { value }

    /// Nothing newer can come: nil.
    public func refresh(after refused: Credentials) async throws -> Credentials? { nil }
}

/// Credentials with the instant they stop being valid (nil: no known end).
public struct ExpiringCredentials: Sendable, Equatable {
    /// The key pair and token.
    public var credentials: Credentials
    /// When the server stops accepting them.
    public var expiration: Date?

    /// Creates a value.
    public init(_ credentials: Credentials, expiration: Date?) {
        self.credentials = credentials; self.expiration = expiration
    }
}

/// A failure to obtain credentials from their source, in one sentence.
public struct CredentialsError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the source.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
