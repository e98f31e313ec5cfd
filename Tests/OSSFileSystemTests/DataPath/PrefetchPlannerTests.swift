import Testing
import TestSupport
@testable import OSSFileSystem

/// The prefetch window decisions, without any I/O.
@Suite struct PrefetchPlannerTests {
    private let MiB: Int64 = 1 << 20
    private let KiB128 = 128 << 10

    private func limits(maxBytes: Int64 = 64 << 20, ahead: Int = 4) -> PrefetchPlanner.Limits {
        PrefetchPlanner.Limits(initialChunk: 1 << 20, maxChunk: 8 << 20, maxBytes: maxBytes, maxChunksAhead: ahead, slack: 2 << 20)
    }

    /// The segments of a plan cover the read exactly, in order, and chunk segments lie in held chunks.
    private func checkSegments(_ plan: PrefetchPlanner.ReadPlan, _ planner: PrefetchPlanner, _ range: Range<Int64>) {
        var position = range.lowerBound
        for segment in plan.segments {
            switch segment {
            case .direct(let r):
                #expect(r.lowerBound == position)
                position = r.upperBound
            case .chunk(let id, let r):
                #expect(r.lowerBound == position)
                let chunk = planner.chunks.first { $0.id == id }
                #expect(chunk != nil)
                if let chunk { #expect(chunk.range.lowerBound <= r.lowerBound && r.upperBound <= chunk.range.upperBound) }
                position = r.upperBound
            }
        }
        #expect(position == range.upperBound)
    }

    @Test func firstReadAtZeroStartsASmallWindow() {
        var planner = PrefetchPlanner(fileSize: 100 * MiB, limits: limits())
        let plan = planner.read(offset: 0, length: KiB128)
        #expect(plan.fetch.first?.range == 0..<MiB)
        #expect(plan.segments == [.chunk(id: plan.fetch[0].id, range: 0..<Int64(KiB128))])
        #expect(plan.fetch.count == 1)   // the first read may be the only one: nothing more yet
        #expect(plan.drop.isEmpty)
        let second = planner.read(offset: Int64(KiB128), length: KiB128)
        #expect(second.fetch.map(\.range) == [MiB..<(3 * MiB)])   // sequential: the window opens
    }

    @Test func sequentialReadsGrowChunksAndWindowWithinBounds() {
        let lim = limits(maxBytes: 48 << 20, ahead: 4)
        var planner = PrefetchPlanner(fileSize: 1 << 30, limits: lim)
        var sizes: [Int64] = []
        var offset: Int64 = 0
        var directBytes: Int64 = 0
        while offset < 1 << 30 {
            let plan = planner.read(offset: offset, length: KiB128)
            checkSegments(plan, planner, offset..<(offset + Int64(KiB128)))
            sizes += plan.fetch.map { Int64($0.range.count) }
            for case .direct(let r) in plan.segments { directBytes += Int64(r.count) }
            #expect(planner.heldBytes <= lim.maxBytes)
            #expect(planner.chunks.filter { $0.range.upperBound > offset + Int64(KiB128) }.count <= lim.maxChunksAhead)
            offset += Int64(KiB128)
        }
        #expect(directBytes == 0)
        #expect(sizes.first == MiB)
        #expect(sizes.max() == 8 * MiB)
        #expect(sizes == sizes.sorted() || sizes.dropLast() == sizes.dropLast().sorted())
        #expect(sizes.reduce(0, +) == 1 << 30)
        // 1 GiB in mostly 8 MiB GETs, not 8192 kernel-sized ones.
        #expect(sizes.count < 140)
    }

    @Test func aSeekDropsEverythingAndReadsExactlyTheBytesAsked() {
        var planner = PrefetchPlanner(fileSize: 100 * MiB, limits: limits())
        for i in 0..<20 { _ = planner.read(offset: Int64(i * KiB128), length: KiB128) }
        let held = planner.chunks.map(\.id)
        #expect(!held.isEmpty)
        let plan = planner.read(offset: 70 * MiB + 5, length: 4096)
        #expect(Set(plan.drop) == Set(held))
        #expect(plan.fetch.isEmpty)
        #expect(plan.segments == [.direct((70 * MiB + 5)..<(70 * MiB + 5 + 4096))])
        #expect(planner.chunks.isEmpty)
        #expect(planner.window == 0)
        // Reading on from there is sequential again, from a small window.
        let next = planner.read(offset: 70 * MiB + 5 + 4096, length: KiB128)
        #expect(next.fetch.first?.range.count == Int(MiB))
    }

    @Test func readsAtOrPastEndOfFileAreEmptyAndReadsAcrossItAreClamped() {
        var planner = PrefetchPlanner(fileSize: 1000, limits: limits())
        #expect(planner.read(offset: 1000, length: 10) == PrefetchPlanner.ReadPlan())
        #expect(planner.read(offset: 5000, length: 10) == PrefetchPlanner.ReadPlan())
        let plan = planner.read(offset: 0, length: 4096)
        #expect(plan.fetch.map(\.range) == [0..<1000])
        #expect(plan.segments == [.chunk(id: plan.fetch[0].id, range: 0..<1000)])
        #expect(PrefetchPlanner(fileSize: 0, limits: limits()).chunks.isEmpty)
        #expect(planner.read(offset: 10, length: Int.max).segments.count == 1)   // no overflow
        #expect(planner.read(offset: -1, length: 10) == PrefetchPlanner.ReadPlan())
    }

    @Test func reorderedKernelReadsInsideTheWindowStaySequential() {
        var planner = PrefetchPlanner(fileSize: 100 * MiB, limits: limits())
        _ = planner.read(offset: 0, length: KiB128)
        _ = planner.read(offset: 2 * Int64(KiB128), length: KiB128)   // arrives before the one at 128 KiB
        let plan = planner.read(offset: Int64(KiB128), length: KiB128)
        #expect(plan.drop.isEmpty)
        #expect(plan.segments.allSatisfy { if case .chunk = $0 { true } else { false } })
    }

    @Test func consumedChunksAreDropped() {
        var planner = PrefetchPlanner(fileSize: 200 * MiB, limits: limits())
        var dropped: [Int] = []
        var firstID: Int?
        var offset: Int64 = 0
        while offset < 40 * MiB {
            let plan = planner.read(offset: offset, length: Int(MiB))
            if firstID == nil { firstID = plan.fetch.first?.id }
            dropped += plan.drop
            offset += MiB
        }
        #expect(dropped.contains(firstID!))
        #expect(planner.chunks.allSatisfy { $0.range.upperBound > offset - 2 * MiB })
    }

    @Test func noMemoryBudgetMeansDirectReadsOnly() {
        var planner = PrefetchPlanner(fileSize: 10 * MiB, limits: limits(maxBytes: 0))
        for i in 0..<5 {
            let range = Int64(i * KiB128)..<Int64((i + 1) * KiB128)
            let plan = planner.read(offset: range.lowerBound, length: KiB128)
            #expect(plan.fetch.isEmpty)
            #expect(plan.segments == [.direct(range)])
        }
    }

    @Test func aFailedChunkIsFetchedAgain() {
        var planner = PrefetchPlanner(fileSize: 10 * MiB, limits: limits())
        let first = planner.read(offset: 0, length: KiB128)
        _ = planner.read(offset: Int64(KiB128), length: KiB128)
        planner.chunkFailed(id: first.fetch[0].id)
        let retry = planner.read(offset: Int64(KiB128), length: KiB128)
        #expect(retry.drop.isEmpty)   // still sequential
        #expect(retry.segments.count == 1)
        if case .chunk(let id, _) = retry.segments[0] {
            #expect(id != first.fetch[0].id)
            #expect(retry.fetch.contains { $0.id == id && $0.range == Int64(KiB128)..<MiB })
        } else {
            Issue.record("expected a chunk, got \(retry.segments)")
        }
    }

    @Test func randomOperationSequencesKeepTheInvariants() {
        var rng = SeededGenerator(seed: 42)
        let lim = limits(maxBytes: 20 << 20, ahead: 3)
        let size: Int64 = 64 << 20
        var planner = PrefetchPlanner(fileSize: size, limits: lim)
        var offset: Int64 = 0
        for _ in 0..<5000 {
            switch rng.next() % 10 {
            case 0: offset = Int64(rng.next() % UInt64(size))
            case 1: offset = max(0, offset - Int64(rng.next() % (3 << 20)))
            default: break
            }
            let length = Int(rng.next() % (1 << 20)) + 1
            let plan = planner.read(offset: offset, length: length)
            let end = min(size, offset + Int64(length))
            if offset < end { checkSegments(plan, planner, offset..<end) } else { #expect(plan.segments.isEmpty) }
            #expect(planner.heldBytes <= lim.maxBytes)
            let ranges = planner.chunks.map(\.range)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound })
            offset = end >= size ? 0 : end
        }
    }
}
