import Foundation

/// The switches that make the server behave as production OSS does where clients must cope:
/// temporary credentials that expire, custom domains, the V4 region, throttling, partial batch
/// deletes, a clock that differs from the client's. Each is off by default (see ossfuse-server(1)).
public struct Strictness: Sendable {
    /// `--sts-credentials FILE`: lines `id:secret:token:expiry-unix-seconds`, re-read on change.
    public var stsCredentialsFile: String?
    /// `--cname HOST=BUCKET`: requests whose Host is HOST address BUCKET, the path being the key.
    public var cnames: [String: String] = [:]
    /// `--public-endpoint-forbidden`: requests not made through a `--cname` host are answered
    /// 400 PublicEndpointForbidden, as OSS answers new accounts on mainland-China public endpoints.
    public var publicEndpointForbidden = false
    /// `--check-region`: a V4 scope naming another region than `--region` is refused
    /// (400 InvalidArgument "Invalid signing region in Authorization header.").
    public var checkRegion = false
    /// `--partial-delete-faults N`: the first N DeleteMultipleObjects requests delete only the first
    /// half of their keys (rounded down) and report only those.
    public var partialDeleteFaults = 0
    /// `--qps-limit-storm SECONDS`: every request is answered 503 QpsLimitExceeded for this long after
    /// the server starts (also started at any time by `POST /_ossfuse/faults/qps-limit-storm?seconds=N`).
    public var qpsLimitStormSeconds: Double = 0
    /// `--clock-skew SECONDS`: the server's clock runs this far ahead (negative: behind) of the host's,
    /// for its `Date` header and the 15-minute check (`RequestTimeTooSkewed`).
    public var clockSkewSeconds: Double = 0
    /// `--refuse-appendable-copy`: CopyObject of an appendable source is refused onto its own key
    /// too (by default only onto another key): "The CopyObject operation cannot be performed on
    /// appendable objects" (OSS AppendObject page), while the CopyObject page says it of versioned
    /// buckets only. Which one real OSS does to a same-key copy is unconfirmed.
    public var refuseAppendableCopy = false
    /// All off.
    public init() {}
}
