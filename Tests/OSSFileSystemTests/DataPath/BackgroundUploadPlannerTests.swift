import Testing
@testable import OSSFileSystem

/// Streaming-multipart decisions, without I/O.
@Suite struct BackgroundUploadPlannerTests {
    private let MiB: Int64 = 1 << 20

    /// Writes `[from, to)` in 256 KiB steps; returns the starts in order.
    private func writeSequentially(_ planner: inout BackgroundUploadPlanner, from: Int64 = 0, to: Int64) -> [BackgroundUploadPlanner.Start] {
        var starts: [BackgroundUploadPlanner.Start] = []
        var offset = from
        while offset < to {
            let end = min(to, offset + 256 << 10)
            starts += planner.wrote(offset..<end, size: end)
            offset = end
        }
        return starts
    }

    @Test func nothingStartsBelowTheThreshold() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: 8 * MiB, maxInFlight: 4)
        #expect(writeSequentially(&planner, to: 8 * MiB - 1).isEmpty)
    }

    @Test func partsStartOnceTheWriterHasMovedPastThemWithinTheInFlightBound() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: 2 * MiB, maxInFlight: 2)
        let starts = writeSequentially(&planner, to: 6 * MiB + 5)
        #expect(starts.map(\.number) == [1, 2])
        #expect(starts.map(\.range) == [0..<MiB, MiB..<(2 * MiB)])
        #expect(planner.inFlightCount == 2)
        // As parts finish, queued ones (3..6, all passed by the writer) start; never part 7 (still open).
        var next = planner.finished(starts[0], etag: "e1")
        #expect(next.map(\.number) == [3])
        next += planner.finished(starts[1], etag: "e2")
        #expect(next.map(\.number) == [3, 4])
        var all = next
        while !next.isEmpty {
            let ended = next.removeFirst()
            let more = planner.finished(ended, etag: "e\(ended.number)")
            all += more
            next += more
        }
        #expect(all.map(\.number) == [3, 4, 5, 6])
        let plan = MultipartPlan(size: 6 * MiB + 5, preferredPartSize: MiB)
        #expect(planner.reusable(for: plan) == [1: "e1", 2: "e2", 3: "e3", 4: "e4", 5: "e5", 6: "e6"])
    }

    @Test func aRewrittenPartIsNotReused() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        let starts = writeSequentially(&planner, to: 4 * MiB)
        for start in starts { _ = planner.finished(start, etag: "e\(start.number)") }
        #expect(starts.map(\.number) == [1, 2, 3])
        _ = planner.wrote((MiB + 10)..<(MiB + 20), size: 4 * MiB)
        let plan = MultipartPlan(size: 4 * MiB, preferredPartSize: MiB)
        #expect(planner.reusable(for: plan) == [1: "e1", 3: "e3"])
        // Random writes stop streaming: writing on does not start anything.
        #expect(writeSequentially(&planner, from: 4 * MiB, to: 8 * MiB).isEmpty)
    }

    @Test func aPartRewrittenWhileUploadingIsNotReused() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        let starts = writeSequentially(&planner, to: 2 * MiB + 1)
        #expect(starts.map(\.number) == [1, 2])
        _ = planner.wrote(0..<1, size: 2 * MiB + 1)
        _ = planner.finished(starts[0], etag: "e1")
        _ = planner.finished(starts[1], etag: "e2")
        #expect(planner.reusable(for: MultipartPlan(size: 2 * MiB + 1, preferredPartSize: MiB)) == [2: "e2"])
    }

    @Test func truncationInvalidatesThePartsItChanges() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        for start in writeSequentially(&planner, to: 5 * MiB) { _ = planner.finished(start, etag: "e\(start.number)") }
        planner.truncated(from: 5 * MiB, to: 2 * MiB + 100)
        let plan = MultipartPlan(size: 2 * MiB + 100, preferredPartSize: MiB)
        #expect(planner.reusable(for: plan) == [1: "e1", 2: "e2"])
        // Cut inside part 2: its bytes changed, it must be sent again.
        planner.truncated(from: 2 * MiB + 100, to: MiB + 7)
        #expect(planner.reusable(for: MultipartPlan(size: MiB + 7, preferredPartSize: MiB)) == [1: "e1"])
    }

    @Test func anotherPartLayoutReusesNothing() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        for start in writeSequentially(&planner, to: 3 * MiB) { _ = planner.finished(start, etag: "e") }
        #expect(planner.reusable(for: MultipartPlan(size: 3 * MiB, preferredPartSize: 2 * MiB)).isEmpty)
    }

    @Test func uploadsEndingAfterAResetAreIgnored() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 1)
        let starts = writeSequentially(&planner, to: 3 * MiB)
        #expect(starts.map(\.number) == [1])
        planner.reset()
        #expect(planner.finished(starts[0], etag: "old").isEmpty)
        #expect(planner.reusable(for: MultipartPlan(size: 3 * MiB, preferredPartSize: MiB)).isEmpty)
        #expect(planner.inFlightCount == 0)
    }

    @Test func aFailedPartIsNotReused() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        let starts = writeSequentially(&planner, to: 3 * MiB)
        _ = planner.finished(starts[0], etag: nil)
        _ = planner.finished(starts[1], etag: "e2")
        #expect(planner.reusable(for: MultipartPlan(size: 3 * MiB, preferredPartSize: MiB)) == [2: "e2"])
    }

    /// `cp` onto an existing file: open, truncate to 0, then write from 0. That streams like a new file.
    @Test func aTruncationToZeroStartsStreamingAfresh() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        planner.truncated(from: 5 * MiB, to: 0)
        #expect(writeSequentially(&planner, to: 3 * MiB + 1).map(\.number) == [1, 2, 3])
        // Any other truncation ends streaming.
        planner.truncated(from: 3 * MiB + 1, to: MiB)
        #expect(writeSequentially(&planner, from: MiB, to: 6 * MiB).isEmpty)
    }

    /// After a truncation to zero, a part number still uploading older bytes is not sent again
    /// until that upload ends, and the older upload is never the one reused.
    @Test func aPartStillInFlightIsNotStartedTwice() {
        var planner = BackgroundUploadPlanner(partSize: MiB, threshold: MiB, maxInFlight: 8)
        let old = writeSequentially(&planner, to: 2 * MiB + 1)
        #expect(old.map(\.number) == [1, 2])
        planner.truncated(from: 2 * MiB + 1, to: 0)
        let fresh = writeSequentially(&planner, to: 3 * MiB + 1)
        #expect(fresh.map(\.number) == [3], "parts 1 and 2 wait for their older uploads")
        let first = planner.finished(old[0], etag: "old1")
        #expect(first.map(\.number) == [1])
        let second = planner.finished(old[1], etag: "old2")
        #expect(second.map(\.number) == [2])
        #expect(planner.reusable(for: MultipartPlan(size: 3 * MiB + 1, preferredPartSize: MiB)).isEmpty)
        for start in fresh + first + second { _ = planner.finished(start, etag: "new\(start.number)") }
        #expect(planner.reusable(for: MultipartPlan(size: 3 * MiB + 1, preferredPartSize: MiB)) == [1: "new1", 2: "new2", 3: "new3"])
    }
}
