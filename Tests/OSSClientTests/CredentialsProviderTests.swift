import Foundation
@testable import OSSClient
import Synchronization
import XCTest

/// When temporary credentials are fetched again, decided on a clock the test moves (no waiting).
final class CredentialsProviderTests: XCTestCase {
    /// A source that hands out a new key on each fetch, expiring `lifetime` after the test clock.
    private final class CountingSource: CredentialSource {
        let fetches = Mutex(0)
        let failing = Mutex(false)
        let clock: TestClock
        let lifetime: TimeInterval
        init(clock: TestClock, lifetime: TimeInterval) { self.clock = clock; self.lifetime = lifetime }
        var name: String { "test source" }
        func fetch() async throws -> ExpiringCredentials {
            if failing.withLock({ $0 }) { throw CredentialsError("test source is down") }
            let n = fetches.withLock { $0 += 1; return $0 }
            return ExpiringCredentials(Credentials(accessKeyId: "key\(n)", accessKeySecret: "s", securityToken: "t\(n)"),
                                       expiration: clock.now.addingTimeInterval(lifetime))
        }
    }

    private final class TestClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    func testRefreshesAheadOfExpiryNotBefore() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock, lifetime: 3600)
        let provider = RefreshingCredentialsProvider(source: source, now: { clock.now })
        let first = try await provider.credentials().accessKeyId
        XCTAssertEqual(first, "key1")
        clock.advance(3600 - 301)
        let stillFirst = try await provider.credentials().accessKeyId
        XCTAssertEqual(stillFirst, "key1", "refreshed more than 5 minutes ahead")
        clock.advance(2)
        let second = try await provider.credentials().accessKeyId
        XCTAssertEqual(second, "key2", "not refreshed within 5 minutes of expiry")
        XCTAssertEqual(source.fetches.withLock { $0 }, 2)
    }

    func testShortLivedCredentialsRefreshAQuarterOfTheirLifetimeAhead() {
        let start = Date(timeIntervalSince1970: 0)
        let expiry = start.addingTimeInterval(40)
        XCTAssertFalse(RefreshSchedule.isDue(expiration: expiry, fetchedAt: start, now: start.addingTimeInterval(29)))
        XCTAssertTrue(RefreshSchedule.isDue(expiration: expiry, fetchedAt: start, now: start.addingTimeInterval(30)))
        XCTAssertFalse(RefreshSchedule.isDue(expiration: nil, fetchedAt: start, now: .distantFuture))
    }

    func testAFailedRefreshKeepsValidCredentialsButNotExpiredOnes() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock, lifetime: 600)
        let provider = RefreshingCredentialsProvider(source: source, now: { clock.now })
        _ = try await provider.credentials()
        source.failing.withLock { $0 = true }
        clock.advance(500)
        let kept = try await provider.credentials().accessKeyId
        XCTAssertEqual(kept, "key1")
        clock.advance(100)
        do {
            _ = try await provider.credentials()
            XCTFail("expired credentials were handed out")
        } catch let error as CredentialsError {
            XCTAssertTrue(error.description.contains("test source is down"))
        }
    }

    func testRefreshAfterARefusalFetchesOnceForAllRefusedCallers() async throws {
        let clock = TestClock()
        let source = CountingSource(clock: clock, lifetime: 3600)
        let provider = RefreshingCredentialsProvider(source: source, now: { clock.now })
        let refused = try await provider.credentials()
        async let a = provider.refresh(after: refused)
        async let b = provider.refresh(after: refused)
        let (ra, rb) = try await (a, b)
        XCTAssertEqual(ra?.accessKeyId, "key2")
        XCTAssertEqual(rb?.accessKeyId, "key2")
        let now = try await provider.credentials().accessKeyId
        XCTAssertEqual(now, "key2")
        XCTAssertEqual(source.fetches.withLock { $0 }, 2)
        let none = try await StaticCredentialsProvider(refused).refresh(after: refused)
        XCTAssertNil(none)
    }

    func testCredentialsDocument() throws {
        let json = #"{"AccessKeyId":"STS.a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-01-02T03:04:05Z","Code":"Success"}"#
        let parsed = try CredentialsDocument.parse(Data(json.utf8), source: "x")
        XCTAssertEqual(parsed.credentials, Credentials(accessKeyId: "STS.a", accessKeySecret: "s", securityToken: "t"))
        XCTAssertEqual(parsed.expiration, Date(timeIntervalSince1970: 1_767_323_045))
        XCTAssertEqual(CredentialsDocument.parseExpiration("2026-01-02T03:04:05.250Z"), Date(timeIntervalSince1970: 1_767_323_045.25))
        XCTAssertThrowsError(try CredentialsDocument.parse(Data(#"{"AccessKeyId":"a"}"#.utf8), source: "x"))
        XCTAssertThrowsError(try CredentialsDocument.parse(Data(#"{"Code":"Failed","AccessKeyId":"a","AccessKeySecret":"b"}"#.utf8), source: "x"))
        XCTAssertThrowsError(try CredentialsDocument.parse(Data("not json".utf8), source: "x"))
    }

    func testCredentialProcessOutputAndFailures() async throws {
        let ok = CredentialProcessSource(command: #"printf '{"AccessKeyId":"a","AccessKeySecret":"b"}'"#)
        let value = try await ok.fetch()
        XCTAssertEqual(value.credentials.accessKeyId, "a")
        XCTAssertNil(value.expiration)
        do {
            _ = try await CredentialProcessSource(command: "echo nope >&2; exit 3").fetch()
            XCTFail("a failing command gave credentials")
        } catch let error as CredentialsError {
            XCTAssertTrue(error.description.contains("exited with status 3: nope"), error.description)
        }
    }
}
