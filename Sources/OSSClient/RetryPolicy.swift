/// Decides whether a failed attempt is tried again, and after how long: exponential backoff with
/// jitter, for 5xx, 429 and connection faults, only where repeating the request is safe.
/// A plain value: no clock, no randomness of its own (the caller passes a random number).
public struct RetryPolicy: Sendable, Equatable {
    /// How safe a request is to send again.
    public enum Safety: Sendable, Equatable {
        /// Idempotent with a body that can be re-sent: retry any retryable failure.
        case repeatable
        /// Not idempotent (AppendObject, CompleteMultipartUpload, writes with forbid-overwrite):
        /// retry only when the server cannot have acted (no connection made, or 429/503 answered).
        case onlyIfNotApplied
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

    /// Creates a policy.
    public init(maxRetries: Int, baseDelay: Double = 0.1, maxDelay: Double = 5) {
        self.maxRetries = maxRetries; self.baseDelay = baseDelay; self.maxDelay = maxDelay
    }

    /// True when `outcome` is a failure worth another attempt for a request of `safety`.
    public func isRetryable(_ outcome: Outcome, safety: Safety) -> Bool {
        switch outcome {
        case .success: return false
        case .status(let s):
            if s == 429 || s == 503 { return true }
            return s >= 500 && safety == .repeatable
        case .transport(let kind, let sent):
            guard kind == .connection || kind == .timeout else { return false }
            return safety == .repeatable || !sent
        }
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
