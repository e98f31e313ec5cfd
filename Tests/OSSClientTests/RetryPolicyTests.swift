import OSSClient
import XCTest

/// The retry/backoff decision, without I/O.
final class RetryPolicyTests: XCTestCase {
    let policy = RetryPolicy(maxRetries: 3, baseDelay: 0.1, maxDelay: 1)

    func testRetryableOutcomesForRepeatableRequests() {
        for s in [500, 502, 503, 504, 429] {
            XCTAssertTrue(policy.isRetryable(.status(s), safety: .repeatable), "\(s)")
        }
        for s in [400, 403, 404, 409, 412, 416] {
            XCTAssertFalse(policy.isRetryable(.status(s), safety: .repeatable), "\(s)")
        }
        XCTAssertTrue(policy.isRetryable(.transport(.connection, requestSent: true), safety: .repeatable))
        XCTAssertTrue(policy.isRetryable(.transport(.timeout, requestSent: true), safety: .repeatable))
        XCTAssertFalse(policy.isRetryable(.transport(.localIO, requestSent: false), safety: .repeatable))
        XCTAssertFalse(policy.isRetryable(.transport(.other, requestSent: true), safety: .repeatable))
        XCTAssertFalse(policy.isRetryable(.success, safety: .repeatable))
    }

    func testNonIdempotentRequestsRetryOnlyWhenNothingWasApplied() {
        XCTAssertFalse(policy.isRetryable(.transport(.connection, requestSent: true), safety: .onlyIfNotApplied))
        XCTAssertFalse(policy.isRetryable(.transport(.timeout, requestSent: true), safety: .onlyIfNotApplied))
        XCTAssertFalse(policy.isRetryable(.status(500), safety: .onlyIfNotApplied))
        XCTAssertTrue(policy.isRetryable(.transport(.connection, requestSent: false), safety: .onlyIfNotApplied))
        XCTAssertTrue(policy.isRetryable(.status(503), safety: .onlyIfNotApplied))
        XCTAssertTrue(policy.isRetryable(.status(429), safety: .onlyIfNotApplied))
    }

    func testBackoffGrowsExponentiallyWithJitterAndIsCapped() {
        func delay(_ attempt: Int, _ random: Double) -> Double? {
            if case .retry(let d) = policy.decide(attempt: attempt, outcome: .status(503), safety: .repeatable, random: random) { return d }
            return nil
        }
        XCTAssertEqual(delay(1, 0)!, 0.05, accuracy: 1e-9)
        XCTAssertEqual(delay(1, 1)!, 0.1, accuracy: 1e-9)
        XCTAssertEqual(delay(2, 0)!, 0.1, accuracy: 1e-9)
        XCTAssertEqual(delay(3, 0.5)!, 0.3, accuracy: 1e-9)
        let big = RetryPolicy(maxRetries: 30, baseDelay: 0.1, maxDelay: 1)
        if case .retry(let d) = big.decide(attempt: 25, outcome: .status(500), safety: .repeatable, random: 1) {
            XCTAssertEqual(d, 1, accuracy: 1e-9)
        } else { XCTFail("expected a retry") }
    }

    func testGivesUpAfterMaxRetries() {
        XCTAssertNotEqual(policy.decide(attempt: 3, outcome: .status(503), safety: .repeatable, random: 0), .stop)
        XCTAssertEqual(policy.decide(attempt: 4, outcome: .status(503), safety: .repeatable, random: 0), .stop)
        XCTAssertEqual(RetryPolicy(maxRetries: 0).decide(attempt: 1, outcome: .status(503), safety: .repeatable, random: 0), .stop)
        XCTAssertEqual(policy.decide(attempt: 1, outcome: .status(404), safety: .repeatable, random: 0), .stop)
    }
}
