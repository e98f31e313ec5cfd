/// Decides which parts of a file being written sequentially can be uploaded before the handle is
/// flushed (streaming multipart), and which already-uploaded parts the final upload may reuse.
/// Free of I/O; `BackgroundUpload` carries out its actions.
///
/// A part is started once a sequential writer has moved past it (a write began at or after the
/// part's end) and the file has reached the multipart threshold. Every write or truncation that
/// touches a part bumps its version; an upload is reused only for the version and byte range it
/// sent, so a part re-written after its upload is sent again by the final upload.
public struct BackgroundUploadPlanner: Sendable, Equatable {
    /// A part upload to start: part `number`, bytes `range` of the staging file, at `version`.
    public struct Start: Sendable, Equatable {
        /// Part number, from 1.
        public var number: Int
        /// Bytes of the staging file the part carries.
        public var range: Range<Int64>
        /// The part's version when it was queued; a later write makes the upload stale.
        public var version: Int
        /// Which multipart upload this belongs to (bumped by `reset`).
        public var epoch: Int
    }

    struct Sent: Sendable, Equatable {
        var range: Range<Int64>
        var version: Int
        var etag: String
    }

    /// Size of every part but the last.
    public let partSize: Int64
    /// File size from which uploads start (the final upload is multipart from there on).
    public let threshold: Int64
    /// Upper bound of part uploads in flight.
    public let maxInFlight: Int
    /// End of the previous write: a write starting here continues a sequential run.
    private var expectedOffset: Int64 = 0
    private var sequential = true
    /// Highest part number queued in the current sequential run.
    private var scheduledThrough = 0
    private var epoch = 0
    private var versions: [Int: Int] = [:]
    private var inFlight: Set<Int> = []
    private var queued: [Start] = []
    private var sent: [Int: Sent] = [:]

    /// `partSize` is the size of every part but the last (already within OSS limits).
    public init(partSize: Int64, threshold: Int64, maxInFlight: Int) {
        self.partSize = max(1, partSize)
        self.threshold = threshold
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Part uploads in flight.
    public var inFlightCount: Int { inFlight.count }

    /// Parts sent whose version is still current.
    public var reusableCount: Int { sent.filter { versions[$0.key, default: 0] == $0.value.version }.count }

    private func number(containing offset: Int64) -> Int { Int(offset / partSize) + 1 }
    private func range(of number: Int) -> Range<Int64> {
        Int64(number - 1) * partSize..<Int64(number) * partSize
    }

    /// Records a write of `range`; `size` is the file size after it. Returns uploads to start.
    public mutating func wrote(_ written: Range<Int64>, size: Int64) -> [Start] {
        guard !written.isEmpty else { return [] }
        bump(from: number(containing: written.lowerBound), through: number(containing: written.upperBound - 1))
        sequential = sequential && written.lowerBound == expectedOffset
        expectedOffset = written.upperBound
        guard sequential, size >= threshold else { return [] }
        let lastDone = number(containing: written.lowerBound) - 1
        while scheduledThrough < lastDone {
            scheduledThrough += 1
            let part = scheduledThrough
            queued.append(Start(number: part, range: range(of: part), version: versions[part, default: 0], epoch: epoch))
        }
        return nextStarts()
    }

    /// Records a truncation from `oldSize` to `newSize`: parts from the shorter end on change.
    /// Any other truncation ends streaming for this handle, but one to zero starts the file afresh:
    /// a writer going on from offset 0 is sequential again. (That is how `cp` or `>` replace an
    /// existing file: the kernel opens it, then truncates it to 0 before the first write.)
    public mutating func truncated(from oldSize: Int64, to newSize: Int64) {
        guard oldSize != newSize else { return }
        let first = number(containing: min(oldSize, newSize))
        let last = max(first, number(containing: max(oldSize, newSize)))
        bump(from: first, through: last)
        queued.removeAll { $0.number >= first }
        if newSize == 0 {
            sequential = true
            expectedOffset = 0
            scheduledThrough = 0
        } else {
            sequential = false
        }
    }

    /// A part upload ended; returns uploads to start next.
    public mutating func finished(_ start: Start, etag: String?) -> [Start] {
        guard start.epoch == epoch else { return [] }
        inFlight.remove(start.number)
        if let etag { sent[start.number] = Sent(range: start.range, version: start.version, etag: etag) }
        return nextStarts()
    }

    /// Parts uploaded in the background that the final upload may use for `plan`, by number.
    public func reusable(for plan: MultipartPlan) -> [Int: String] {
        guard plan.partSize == partSize else { return [:] }
        var result: [Int: String] = [:]
        for (number, part) in sent where number <= plan.partCount {
            if part.version == versions[number, default: 0], part.range == plan.part(number: number).range {
                result[number] = part.etag
            }
        }
        return result
    }

    /// Forgets every upload (the multipart upload was completed or aborted); writes start afresh.
    public mutating func reset() {
        sent.removeAll()
        queued.removeAll()
        inFlight.removeAll()
        sequential = false
        epoch += 1
    }

    private mutating func bump(from first: Int, through last: Int) {
        for part in first...last { versions[part, default: 0] += 1 }
    }

    /// Queued parts to start now. A part whose number is still in flight (an upload of older bytes,
    /// before a truncation to zero) waits for it to end: two uploads of one part number could
    /// reach the server in either order, and the older bytes must never be the ones kept.
    private mutating func nextStarts() -> [Start] {
        var starts: [Start] = []
        var index = 0
        while inFlight.count < maxInFlight, index < queued.count {
            let start = queued[index]
            if start.version != versions[start.number, default: 0] {
                queued.remove(at: index)
            } else if inFlight.contains(start.number) {
                index += 1
            } else {
                queued.remove(at: index)
                inFlight.insert(start.number)
                starts.append(start)
            }
        }
        return starts
    }
}
