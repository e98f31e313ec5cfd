import Foundation

/// One HTTP attempt, for debug logs. Never holds secrets (no headers, no signatures).
public struct RequestLogRecord: Sendable, Equatable {
    /// Operation name, e.g. `GetObject`.
    public var operation: String
    /// Object key (empty for bucket-level operations).
    public var key: String
    /// HTTP status, 0 when no answer arrived.
    public var httpStatus: Int
    /// `x-oss-request-id`, empty when none.
    public var requestId: String
    public var durationSeconds: Double
    /// 1 for the first try, 2 for the first retry, ...
    public var attempt: Int
    /// What went wrong, nil on success.
    public var error: String?

    /// Creates a record.
    public init(operation: String, key: String, httpStatus: Int, requestId: String, durationSeconds: Double,
                attempt: Int, error: String?) {
        self.operation = operation; self.key = key; self.httpStatus = httpStatus; self.requestId = requestId
        self.durationSeconds = durationSeconds; self.attempt = attempt; self.error = error
    }
}

/// Everything an `OSSClient` needs to reach one bucket.
public struct ClientConfiguration: Sendable {
    /// `http://127.0.0.1:9000` (path-style addressing) or `https://oss-cn-hangzhou.aliyuncs.com`
    /// (virtual-hosted addressing).
    public var endpoint: URL
    public var bucket: String
    /// V4 region; nil derives it from an `oss-<region>[-internal].aliyuncs.com` host, or takes
    /// `cn-hangzhou` for an IP address or `localhost` (a local server). Other hosts need it
    /// (`effectiveRegion` is nil, and `OSSClient.init` refuses V4 without it).
    public var region: String?
    /// The credentials of a `StaticCredentialsProvider` when `credentialsProvider` is nil.
    public var credentials: Credentials
    /// Consulted before every attempt (temporary credentials that refresh); nil: `credentials`.
    public var credentialsProvider: (any CredentialsProvider)? = nil
    /// How bucket and key become a URL; nil: path style for IP addresses and `localhost`,
    /// virtual-hosted for other hosts.
    public var addressingStyle: AddressingStyle? = nil
    /// PEM file of the certificate authorities trusted for HTTPS; nil: the system's.
    public var caFile: String? = nil
    /// Seconds of backoff throttling answers (429, 503, QpsLimitExceeded) may be retried for,
    /// beyond `maxRetries`; 0: `maxRetries` only.
    public var throttleRetrySeconds: Double = 0
    public var signatureVersion: SignatureVersion = .v4
    /// Bound on parallel transfers and on connections per host.
    public var maxConnections: Int = 16
    /// Seconds to establish a connection.
    public var connectTimeout: Double = 10
    /// Seconds a transfer may stall (no byte moving) before it is aborted.
    public var lowSpeedTimeout: Double = 30
    /// Retries after the first attempt for retryable failures.
    public var maxRetries: Int = 4
    /// Whether failing to reach the server at all (refused connection, unresolvable host, connect
    /// timeout) is retried; false fails such a request at once (dropped answers, 503, 429 still retried).
    public var retriesUnreachable: Bool = true
    /// Called once per HTTP attempt with what it did: an observer (metrics, tests, and the mount's
    /// debug lines, which it logs through the one logging API), not a log of its own.
    public var onRequest: (@Sendable (RequestLogRecord) -> Void)? = nil

    /// A configuration with defaults for everything else.
    public init(endpoint: URL, bucket: String, credentials: Credentials) {
        self.endpoint = endpoint; self.bucket = bucket; self.credentials = credentials
    }

    /// The V4 region in effect: `region`, else the one an OSS host names, else `cn-hangzhou` for a
    /// local server (IP address or `localhost`); nil when the host names none (CNAME, accelerate,
    /// dual-stack endpoints): such endpoints need `region`.
    public var effectiveRegion: String? {
        if let region { return region }
        let host = endpoint.host ?? ""
        if let named = Addressing.region(fromHost: host) { return named }
        return Addressing.isIPOrLocal(host) ? "cn-hangzhou" : nil
    }
}
