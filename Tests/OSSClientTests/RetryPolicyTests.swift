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

    func testVerifiableCreatesRetryLostAnswersAndServerErrors() {
        for outcome: RetryPolicy.Outcome in [.transport(.connection, requestSent: true), .transport(.timeout, requestSent: true),
                                             .transport(.connection, requestSent: false), .status(500), .status(502),
                                             .status(503), .status(429)] {
            XCTAssertTrue(policy.isRetryable(outcome, safety: .verifiableCreate), "\(outcome)")
            XCTAssertNotEqual(policy.decide(attempt: 1, outcome: outcome, safety: .verifiableCreate, random: 0.5), .stop)
        }
        for outcome: RetryPolicy.Outcome in [.status(409), .status(403), .status(404), .transport(.localIO, requestSent: true),
                                             .transport(.other, requestSent: true), .success] {
            XCTAssertFalse(policy.isRetryable(outcome, safety: .verifiableCreate), "\(outcome)")
        }
        XCTAssertEqual(policy.decide(attempt: 4, outcome: .status(500), safety: .verifiableCreate, random: 0), .stop)
    }

    func testWhichOutcomesMayHaveBeenApplied() {
        XCTAssertTrue(policy.mayHaveApplied(.transport(.connection, requestSent: true)))
        XCTAssertTrue(policy.mayHaveApplied(.transport(.timeout, requestSent: true)))
        XCTAssertTrue(policy.mayHaveApplied(.status(500)))
        XCTAssertTrue(policy.mayHaveApplied(.status(504)))
        XCTAssertFalse(policy.mayHaveApplied(.transport(.connection, requestSent: false)))
        XCTAssertFalse(policy.mayHaveApplied(.transport(.localIO, requestSent: true)))
        XCTAssertFalse(policy.mayHaveApplied(.status(503)))
        XCTAssertFalse(policy.mayHaveApplied(.status(429)))
        XCTAssertFalse(policy.mayHaveApplied(.status(409)))
    }

    func testConflictAfterPossiblyAppliedCreateIsChecked() {
        XCTAssertTrue(policy.needsOwnershipCheck(status: 409, code: "FileAlreadyExists", safety: .verifiableCreate, earlierMayHaveApplied: true))
        XCTAssertTrue(policy.needsOwnershipCheck(status: 404, code: "NoSuchUpload", safety: .verifiableCreate, earlierMayHaveApplied: true))
        // First attempt, or only unapplied failures before: the conflict is someone else's object.
        XCTAssertFalse(policy.needsOwnershipCheck(status: 409, code: "FileAlreadyExists", safety: .verifiableCreate, earlierMayHaveApplied: false))
        // Other requests and other errors are reported as they are.
        XCTAssertFalse(policy.needsOwnershipCheck(status: 409, code: "FileAlreadyExists", safety: .onlyIfNotApplied, earlierMayHaveApplied: true))
        XCTAssertFalse(policy.needsOwnershipCheck(status: 409, code: "FileAlreadyExists", safety: .repeatable, earlierMayHaveApplied: true))
        XCTAssertFalse(policy.needsOwnershipCheck(status: 409, code: "PositionNotEqualToLength", safety: .verifiableCreate, earlierMayHaveApplied: true))
        XCTAssertFalse(policy.needsOwnershipCheck(status: 403, code: "AccessDenied", safety: .verifiableCreate, earlierMayHaveApplied: true))
    }

    func testUnreachableServerCanFailFastWhileDroppedAnswersAreRetried() {
        let quick = RetryPolicy(maxRetries: 4, retriesUnreachable: false)
        XCTAssertFalse(quick.isRetryable(.transport(.connection, requestSent: false), safety: .repeatable))
        XCTAssertFalse(quick.isRetryable(.transport(.timeout, requestSent: false), safety: .repeatable))
        XCTAssertTrue(quick.isRetryable(.transport(.connection, requestSent: true), safety: .repeatable))
        XCTAssertTrue(quick.isRetryable(.status(503), safety: .repeatable))
        XCTAssertTrue(quick.isRetryable(.status(429), safety: .repeatable))
        XCTAssertEqual(quick.decide(attempt: 1, outcome: .transport(.connection, requestSent: false), safety: .repeatable, random: 0), .stop)
        XCTAssertTrue(policy.isRetryable(.transport(.connection, requestSent: false), safety: .repeatable))
    }
}

/// Throttling (429, 503, QpsLimitExceeded) is retried for a time budget, not a number of attempts.
final class ThrottleBudgetTests: XCTestCase {
    func testThrottlingIsRetriedUntilTheBudgetIsSpent() {
        let policy = RetryPolicy(maxRetries: 2, baseDelay: 0.1, maxDelay: 5, throttleBudget: 60)
        var waited = 0.0
        var attempts = 0
        while case .retry(let delay) = policy.decide(attempt: attempts + 1, outcome: .status(503), code: "QpsLimitExceeded",
                                                      safety: .onlyIfNotApplied, waited: waited, random: 1) {
            waited += delay
            attempts += 1
        }
        XCTAssertGreaterThan(attempts, 10, "far more than maxRetries")
        XCTAssertEqual(waited, 60, accuracy: 0.5)
        XCTAssertTrue(RetryPolicy.isThrottling(.status(400), code: "QpsLimitExceeded"), "whatever the status")
        XCTAssertEqual(policy.decide(attempt: 3, outcome: .status(500), code: "InternalError", safety: .repeatable,
                                     waited: 0, random: 0), .stop, "other failures keep maxRetries")
        let noBudget = RetryPolicy(maxRetries: 2)
        XCTAssertEqual(noBudget.decide(attempt: 3, outcome: .status(503), code: nil, safety: .repeatable, waited: 0, random: 0), .stop)
    }
}
