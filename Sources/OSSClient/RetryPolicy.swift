/// Decides whether a failed attempt is tried again, and after how long: exponential backoff with
/// jitter, for 5xx, 429 and connection faults, only where repeating the request is safe.
/// A plain value: no clock, no randomness of its own (the caller passes a random number).
public struct RetryPolicy: Sendable, Equatable {
    /// How safe a request is to send again.
    public enum Safety: Sendable, Equatable {
        /// Idempotent with a body that can be re-sent: retry any retryable failure.
        case repeatable
        /// Not idempotent (AppendObject, CopyObject with forbid-overwrite):
        /// retry only when the server cannot have acted (no connection made, or 429/503 answered).
        case onlyIfNotApplied
        /// A create with `x-oss-forbid-overwrite: true` whose result the client can recognise
        /// (PutObject, PutSymlink, CompleteMultipartUpload): retried like `.repeatable`; a 409
        /// `FileAlreadyExists` after an attempt that may have been applied is checked against what was
        /// sent (see `needsOwnershipCheck`) instead of being reported at once.
        case verifiableCreate
    }

    /// What an attempt ended with.
    public enum Outcome: Sendable, Equatable {
        case success
        /// An HTTP answer with this status.
        case status(Int)
        /// No answer. `requestSent` is false when no connection was made (nothing reached the server).
        case transport(TransportError.Kind, requestSent: Bool)
    }

    /// The decision.
    public enum Decision: Sendable, Equatable {
        case retry(afterSeconds: Double)
        case stop
    }

    /// Retries after the first attempt.
    public var maxRetries: Int
    /// Delay before the first retry (before jitter).
    public var baseDelay: Double
    /// Upper bound of a delay.
    public var maxDelay: Double

    /// Whether a failure to reach the server at all (refused connection, unresolvable host, connect
    /// timeout: nothing sent) is retried. False makes an unreachable endpoint fail at once while dropped
    /// answers, 503 and 429 are still retried (the mount's start-up check).
    public var retriesUnreachable: Bool

    /// Seconds of backoff that throttling answers (429, 503, `QpsLimitExceeded`) may add up to, however
    /// many attempts that takes (ossfs 2.0 keeps retrying throttling for 60 s); 0: `maxRetries` only.
    public var throttleBudget: Double

    /// Creates a policy.
    public init(maxRetries: Int, baseDelay: Double = 0.1, maxDelay: Double = 5, retriesUnreachable: Bool = true,
                throttleBudget: Double = 0) {
        self.maxRetries = maxRetries; self.baseDelay = baseDelay; self.maxDelay = maxDelay
        self.retriesUnreachable = retriesUnreachable; self.throttleBudget = throttleBudget
    }

    /// True for an answer that means "too many requests, try later": 429, 503, or the code
    /// `QpsLimitExceeded` whatever its status (OSS does not document the status).
    public static func isThrottling(_ outcome: Outcome, code: String?) -> Bool {
        if code == OSSErrorCode.qpsLimitExceeded.rawValue { return true }
        if case .status(let s) = outcome { return s == 429 || s == 503 }
        return false
    }

    /// The decision after attempt `attempt` ended with `outcome` (error `code` when the server
    /// answered one), `waited` seconds of backoff into the call: throttling is retried while the
    /// backoff stays within `throttleBudget`, everything else as `decide(attempt:outcome:safety:random:)`.
    public func decide(attempt: Int, outcome: Outcome, code: String?, safety: Safety, waited: Double,
                       random: Double) -> Decision {
        guard throttleBudget > 0, Self.isThrottling(outcome, code: code) else {
            return decide(attempt: attempt, outcome: outcome, safety: safety, random: random)
        }
        guard waited < throttleBudget else { return .stop }
        let capped = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 20)))
        let delay = capped / 2 + capped / 2 * min(max(random, 0), 1)
        return .retry(afterSeconds: min(delay, max(throttleBudget - waited, baseDelay)))
    }

    /// True when `outcome` is a failure worth another attempt for a request of `safety`.
    public func isRetryable(_ outcome: Outcome, safety: Safety) -> Bool {
        switch outcome {
        case .success: return false
        case .status(let s):
            if s == 429 || s == 503 { return true }
            return s >= 500 && safety != .onlyIfNotApplied
        case .transport(let kind, let sent):
            guard kind == .connection || kind == .timeout else { return false }
            if !sent { return retriesUnreachable }
            return safety != .onlyIfNotApplied
        }
    }

    /// True when the server may have applied the request although `outcome` reports no success:
    /// the answer was lost after the request was sent, or a 5xx other than 503 was answered.
    /// (429 and 503 mean the request was turned away unapplied; no connection means nothing arrived.)
    public func mayHaveApplied(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .success: return true
        case .status(let s): return s >= 500 && s != 503
        case .transport(let kind, let sent): return sent && kind != .localIO
        }
    }

    /// True when a failed answer with `status` and error `code` to a request of `safety` must be
    /// checked against what the client sent before it is reported: a 409 `FileAlreadyExists` (or, for a
    /// completed multipart upload, 404 `NoSuchUpload`) to a `.verifiableCreate` after an earlier attempt
    /// that may have been applied (`earlierMayHaveApplied`) may be the client's own write answering back.
    public func needsOwnershipCheck(status: Int, code: String, safety: Safety, earlierMayHaveApplied: Bool) -> Bool {
        guard safety == .verifiableCreate, earlierMayHaveApplied else { return false }
        return (status == 409 && code == OSSErrorCode.fileAlreadyExists.rawValue)
            || (status == 404 && code == OSSErrorCode.noSuchUpload.rawValue)
    }

    /// The decision after attempt number `attempt` (1-based) ended with `outcome`.
    /// `random` in [0, 1) spreads the delay over its upper half ("equal jitter").
    public func decide(attempt: Int, outcome: Outcome, safety: Safety, random: Double) -> Decision {
        guard attempt <= maxRetries, isRetryable(outcome, safety: safety) else { return .stop }
        let exp = baseDelay * Double(1 << min(attempt - 1, 20))
        let capped = min(maxDelay, exp)
        return .retry(afterSeconds: capped / 2 + capped / 2 * min(max(random, 0), 1))
    }
}
