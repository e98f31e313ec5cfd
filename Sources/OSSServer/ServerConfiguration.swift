/// Everything `ossfuse-server` is started with.
public struct ServerConfiguration: Sendable {
    /// Directory holding the index and data files.
    public var root: String
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free port.
    public var port: Int
    /// The only access key id signatures are accepted for.
    public var accessKeyId: String
    /// Its secret.
    public var accessKeySecret: String
    /// When set, requests may carry this STS token (`x-oss-security-token` / `security-token`).
    public var securityToken: String?
    /// Buckets created at start when missing.
    public var buckets: [String]
    /// Fraction of requests answered with a fault (0 ... 1).
    public var faultRate: Double
    /// Delay added to every response, in milliseconds.
    public var latencyMilliseconds: Int
    /// Bytes per second all response bodies share (`--bandwidth`); 0: no limit.
    public var bandwidthBytesPerSecond: Int = 0
    /// Region reported by GetBucketLocation / GetBucketInfo (without the `oss-` prefix).
    public var region: String
    /// Whether to enforce the 15-minute clock skew and presign expiry.
    public var enforceTime: Bool
    /// A request body that sends nothing for this many seconds is answered 400 RequestTimeout.
    public var bodyTimeoutSeconds: Int
    /// Strict modes modelling production OSS, each off by default.
    public var strictness = Strictness()
    /// Seconds a RestoreObject takes before an Archive, Cold Archive or Deep Cold Archive object
    /// becomes readable (`--restore-delay`; default 60, about what OSS takes for Archive).
    public var restoreDelaySeconds: Double = 60
    /// `--populate`: empty objects put into the first bucket at startup (see `PopulateSpec`).
    public var populate: PopulateSpec?

    /// Creates a configuration.
    public init(root: String, host: String = "127.0.0.1", port: Int = 0, accessKeyId: String, accessKeySecret: String,
                securityToken: String? = nil, buckets: [String] = [], faultRate: Double = 0, latencyMilliseconds: Int = 0,
                region: String = "cn-hangzhou", enforceTime: Bool = true, bodyTimeoutSeconds: Int = 60) {
        self.root = root; self.host = host; self.port = port; self.accessKeyId = accessKeyId
        self.accessKeySecret = accessKeySecret; self.securityToken = securityToken; self.buckets = buckets
        self.faultRate = faultRate; self.latencyMilliseconds = latencyMilliseconds; self.region = region
        self.enforceTime = enforceTime
        self.bodyTimeoutSeconds = bodyTimeoutSeconds
    }
}
