/// An access key pair, optionally with an STS security token.
public struct Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var accessKeySecret: String
    /// STS token, sent as `x-oss-security-token` (header) or `security-token` / `x-oss-security-token`
    /// (presigned V1 / V4).
    public var securityToken: String?

    /// Creates credentials; `securityToken` is only for temporary (STS) credentials.
    public init(accessKeyId: String, accessKeySecret: String, securityToken: String? = nil) {
        self.accessKeyId = accessKeyId; self.accessKeySecret = accessKeySecret; self.securityToken = securityToken
    }
}

/// Which signature algorithm signs requests.
public enum SignatureVersion: Sendable, Equatable {
    /// `OSS ak:sig` (HMAC-SHA1), for old endpoints.
    case v1
    /// `OSS4-HMAC-SHA256` (default, needs a region).
    case v4
}
