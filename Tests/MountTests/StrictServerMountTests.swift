import Foundation
import TestSupport
import XCTest

/// DeleteMultipleObjects that deletes only part of its batch (`--partial-delete-faults`): a
/// directory rename re-sends what was left and leaves no old key behind.
final class PartialDeleteMountTests: MountTestCase {
    override var serverArguments: [String] { ["--partial-delete-faults", "3"] }

    func testMoveDirectoryLeavesNoKeyBehind() throws {
        let m = try mount()
        try sh(m, "mkdir -p dir1/sub && for i in $(seq 1 40); do printf $i > dir1/f$i; done && printf s > dir1/sub/s")
        try sh(m, "mv dir1 dir2")
        XCTAssertEqual(try keys(prefix: "dir1"), [], "keys left behind")
        let expected = Set((1...40).map { "dir2/f\($0)" } + ["dir2/sub/s"])
        XCTAssertTrue(try keys(prefix: "dir2/").isSuperset(of: expected))
        XCTAssertEqual(try server.stats()["FaultsPartialDelete"], 3, "the faults did not happen")
        try m.remount()
        XCTAssertEqual(try sh(m, "[ ! -e dir1 ] && ls dir2 | wc -l").trimmingCharacters(in: .whitespacesAndNewlines), "41")
    }
}

/// Every request refused with 503 QpsLimitExceeded for a while: the mount keeps retrying (up to
/// about a minute) and programs see no error. The storm here is 10 s, longer than the few seconds
/// the client used to retry for, and the test needs no more than the storm's length.
final class ThrottlingMountTests: MountTestCase {
    func testAQpsLimitStormGivesNoError() throws {
        let m = try mount()
        try sh(m, "printf before > a")
        try server.process.startQpsLimitStorm(seconds: 10)
        try sh(m, "printf during > b && cat b && ls -l && cat a")
        XCTAssertGreaterThan(try server.stats()["FaultsQpsLimitExceeded"] ?? 0, 0, "the storm did not happen")
        XCTAssertEqual(try keys(), ["a", "b"])
    }
}

/// A server whose clock is 20 minutes ahead (`--clock-skew 1200`): the first request of each client
/// is answered RequestTimeTooSkewed; the client corrects its clock by the answer's Date and retries.
final class ClockSkewMountTests: MountTestCase {
    override var serverArguments: [String] { ["--clock-skew", "1200"] }

    func testATwentyMinuteSkewIsCorrected() throws {
        let m = try mount(arguments: ["-d"])
        try sh(m, "printf x > f && cat f && ls")
        XCTAssertEqual(try keys(), ["f"])
        XCTAssertTrue(m.log.contains("RequestTimeTooSkewed"), "the skew was never seen: \(m.log)")
    }
}
