import Foundation
@testable import OSSFileSystem
import XCTest

/// The memory budget from a cgroup directory laid out as the kernel does (a fake root passed in).
final class MemoryBudgetTests: XCTestCase {
    private var root: String!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func testParsesTheMembershipLinesOfV2AndOfTheV1MemoryController() {
        let hybrid = "9:name=systemd:/\n4:memory:/kubepods/pod1/c1\n2:cpu,cpuacct:/\n0::/kubepods/pod1/c1\n"
        let paths = MemoryBudget.cgroupPaths(hybrid)
        XCTAssertEqual(paths.unified, "/kubepods/pod1/c1")
        XCTAssertEqual(paths.memoryV1, "/kubepods/pod1/c1")
        XCTAssertEqual(MemoryBudget.cgroupPaths("0::/system.slice/ossfuse.service\n").memoryV1, nil)
        XCTAssertEqual(MemoryBudget.cgroupPaths("5:cpu,memory:/a\n").memoryV1, "/a")
    }

    func testLimitValues() {
        XCTAssertEqual(MemoryBudget.parseLimit("536870912\n"), 536_870_912)
        XCTAssertNil(MemoryBudget.parseLimit("max\n"))
        XCTAssertNil(MemoryBudget.parseLimit("9223372036854771712\n"), "v1's 'no limit'")
        XCTAssertNil(MemoryBudget.parseLimit("garbage"))
        XCTAssertNil(MemoryBudget.parseLimit("0"))
    }

    func testTheTightestLimitOnThePathToTheRootCounts() throws {
        try write("kubepods/memory.max", "1073741824\n")
        try write("kubepods/pod1/memory.max", "max\n")
        try write("kubepods/pod1/c1/memory.max", "max\n")
        let budget = MemoryBudget.read(root: root, selfCgroup: "0::/kubepods/pod1/c1\n")
        XCTAssertEqual(budget.limit, 1 << 30)
        XCTAssertEqual(budget.source, root + "/kubepods/memory.max")
        XCTAssertEqual(budget.bytes, 512 << 20)

        try write("kubepods/pod1/c1/memory.max", "268435456\n")
        XCTAssertEqual(MemoryBudget.read(root: root, selfCgroup: "0::/kubepods/pod1/c1\n").limit, 256 << 20)
    }

    func testAContainerSeeingOnlyItsOwnSubtreeFindsItsDirectory() throws {
        // /proc/self/cgroup names /kubepods/pod1/c1, but only c1's subtree is mounted at root.
        try write("memory.max", "max\n")
        try write("job/memory.max", "104857600\n")
        let budget = MemoryBudget.read(root: root, selfCgroup: "0::/kubepods/pod1/job\n")
        XCTAssertEqual(budget.limit, 100 << 20)
        XCTAssertEqual(budget.source, root + "/job/memory.max")
    }

    func testUnlimitedAndAbsentCgroupsGiveNoBudget() throws {
        try write("a/memory.max", "max\n")
        let unlimited = MemoryBudget.read(root: root, selfCgroup: "0::/a\n")
        XCTAssertNil(unlimited.limit)
        XCTAssertNil(unlimited.bytes)
        XCTAssertTrue(unlimited.describe(.defaults).hasPrefix("memory budget: none"), unlimited.describe(.defaults))
        XCTAssertEqual(unlimited.applied(to: .defaults), .defaults)
        XCTAssertNil(MemoryBudget.read(root: root + "/missing", selfCgroup: "0::/\n").limit)
    }

    func testFallsBackToTheV1MemoryControllerOnAHybridHost() throws {
        try write("unified/cgroup.procs", "")
        try write("memory/docker/c1/memory.limit_in_bytes", "536870912\n")
        try write("memory/memory.limit_in_bytes", "9223372036854771712\n")
        let budget = MemoryBudget.read(root: root, selfCgroup: "4:memory:/docker/c1\n0::/\n")
        XCTAssertEqual(budget.limit, 512 << 20)
        XCTAssertEqual(budget.source, root + "/memory/docker/c1/memory.limit_in_bytes")
    }

    func testTheBudgetBoundsReadAheadAndStagingLoads() {
        let budget = MemoryBudget(limit: 256 << 20, source: "/x/memory.max")  // budget 128 MiB
        var configuration = MountConfiguration.defaults
        configuration.parallelism = 16
        configuration.maxPrefetchBytes = 256 << 20
        let bounded = budget.applied(to: configuration)
        XCTAssertEqual(bounded.maxPrefetchBytes, 32 << 20)
        XCTAssertEqual(bounded.stagingLoadsInFlight, 4, "a quarter of the budget in 8 MiB ranges")
        XCTAssertEqual(bounded.parallelism, 16, "listing concurrency (small requests) is kept")
        XCTAssertEqual(bounded.partSize, configuration.partSize, "the part size (and so the multipart plan) is kept")
        XCTAssertEqual(budget.describe(configuration),
                       "memory budget: 128 MiB (50% of the cgroup limit 256 MiB in /x/memory.max): read-ahead up to 32 MiB"
                       + " per open file, 4 ranged GETs of 8 MiB per file copied into staging, 32768 cached names")
        XCTAssertEqual(bounded.maxCachedEntries, 32768, "a quarter of the budget at 1 KiB a name")

        // A tiny limit still leaves one range in flight; a large one changes nothing.
        XCTAssertEqual(MemoryBudget(limit: 8 << 20, source: nil).applied(to: configuration).stagingLoadsInFlight, 1)
        let large = MemoryBudget(limit: 64 << 30, source: nil).applied(to: configuration)
        XCTAssertEqual(large.maxPrefetchBytes, configuration.maxPrefetchBytes)
        XCTAssertNil(large.stagingLoadsInFlight)
        XCTAssertEqual(MemoryBudget(limit: nil, source: nil).describe(configuration),
                       "memory budget: none (no cgroup memory limit); read-ahead up to 256 MiB per open file,"
                       + " 16 ranged GETs of 8 MiB per file copied into staging, 400000 cached names")
    }

    func testTheCacheForgetsNamesBeyondItsBoundAndStaysCorrect() {
        let file = NodeStat(kind: .file, size: 1, mtime: Timestamp(seconds: 0), etag: nil, userMetadata: nil)
        let now = Date()
        let cache = AttributeCache(attributeTimeout: 60, negativeTimeout: 5, maxEntries: 100)
        cache.storeListing("d", entries: (0..<80).map { ListedEntry(name: "n\($0)", stat: file) }, now: now)
        for index in 0..<60 { cache.store("p\(index)", file, now: now) }
        let statistics = cache.statistics
        XCTAssertLessThanOrEqual(statistics.attributeEntries + (statistics.listingEntries > 0 ? 81 : 0), 100)
        XCTAssertGreaterThan(statistics.evictions, 0)
        // Forgotten names are unknown (asked of the store again), never wrongly absent.
        for index in 0..<80 { XCTAssertNotEqual(cache.lookup("d/n\(index)", now: now), .absent) }
        XCTAssertEqual(cache.lookup("p59", now: now), .hit(file), "the newest store is kept")

        let unbounded = AttributeCache(attributeTimeout: 60, negativeTimeout: 5)
        for index in 0..<500 { unbounded.store("p\(index)", file, now: now) }
        XCTAssertEqual(unbounded.statistics.attributeEntries, 500)
        XCTAssertEqual(unbounded.statistics.evictions, 0)
    }
}
