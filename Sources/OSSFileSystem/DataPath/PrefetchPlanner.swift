/// Decides, for one open file handle, which byte ranges to fetch as a read arrives: the state machine
/// behind `Prefetcher`, free of I/O so it is tested on its own.
///
/// Sequential reads (each starting where the previous ended, or inside the prefetched window, give
/// or take the kernel's reordering of concurrent readahead requests) are answered from *chunks*:
/// ranged GETs issued ahead of the reader, starting small and doubling in size and in look-ahead
/// window up to the configured bounds. Any other read is a seek: every chunk is dropped, the window
/// starts small again, and the read itself is served by one *direct* ranged GET of exactly its bytes.
/// The bytes held (fetching or fetched) never exceed `maxBytes`; consumed chunks are dropped.
public struct PrefetchPlanner: Sendable, Equatable {
    /// Sizes that shape the window.
    public struct Limits: Sendable, Equatable {
        /// Size of the first chunk after a seek (and of the first window).
        public var initialChunk: Int64
        /// Largest single ranged GET.
        public var maxChunk: Int64
        /// Upper bound of bytes held in chunks (in flight or fetched, not yet dropped).
        public var maxBytes: Int64
        /// Upper bound of chunks ahead of the reader (≈ requests in flight).
        public var maxChunksAhead: Int
        /// How far a read may start before the window or after its end and still count as sequential;
        /// also how long consumed bytes are kept behind the reader for reordered requests.
        public var slack: Int64

        /// Bounds, each clamped to a sane minimum.
        public init(initialChunk: Int64 = 1 << 20, maxChunk: Int64 = 8 << 20, maxBytes: Int64 = 256 << 20,
                    maxChunksAhead: Int = 8, slack: Int64 = 2 << 20) {
            self.initialChunk = max(1, initialChunk)
            self.maxChunk = max(self.initialChunk, maxChunk)
            self.maxBytes = max(0, maxBytes)
            self.maxChunksAhead = max(1, maxChunksAhead)
            self.slack = max(0, slack)
        }
    }

    /// A ranged GET whose result is kept for later reads.
    public struct Chunk: Sendable, Equatable {
        /// Names the chunk in later plans (`Segment.chunk`, `ReadPlan.drop`).
        public var id: Int
        /// Bytes of the object it holds.
        public var range: Range<Int64>
    }

    /// Where one piece of a read's answer comes from, in file order.
    public enum Segment: Sendable, Equatable {
        /// `range` (file offsets) out of chunk `id`.
        case chunk(id: Int, range: Range<Int64>)
        /// A ranged GET of exactly `range`, not kept.
        case direct(Range<Int64>)
    }

    /// What the I/O layer does for one read: start `fetch`, cancel and forget `drop`, then assemble
    /// the answer from `segments` (empty at or past EOF).
    public struct ReadPlan: Sendable, Equatable {
        /// Chunks to start fetching now.
        public var fetch: [Chunk] = []
        /// Chunk ids no longer needed: cancel their GETs and free their bytes.
        public var drop: [Int] = []
        /// The pieces of the answer, in file order.
        public var segments: [Segment] = []
    }

    /// Size of the object; reads never go past it.
    public let fileSize: Int64
    /// The bounds in force.
    public let limits: Limits
    /// Chunks held, sorted by offset, never overlapping.
    public private(set) var chunks: [Chunk] = []
    /// End of the previous read: a read starting here is sequential.
    public private(set) var expectedOffset: Int64 = 0
    /// Highest read end since the last seek.
    private var highWater: Int64 = 0
    /// Bytes to keep requested ahead of the reader: none for the first read after opening or a seek
    /// (which may be the only one), then `initialChunk`, doubling with each sequential read.
    public private(set) var window: Int64 = 0
    /// Size of the next chunk.
    public private(set) var nextChunkSize: Int64
    private var nextID = 0

    /// A planner for an object of `fileSize` bytes; nothing is fetched before the first read.
    public init(fileSize: Int64, limits: Limits = Limits()) {
        self.fileSize = max(0, fileSize)
        self.limits = limits
        self.nextChunkSize = limits.initialChunk
    }

    /// Bytes held in chunks.
    public var heldBytes: Int64 { chunks.reduce(0) { $0 + Int64($1.range.count) } }

    /// Plans the read of `length` bytes at `offset`.
    public mutating func read(offset: Int64, length: Int) -> ReadPlan {
        guard offset >= 0, offset < fileSize, length > 0 else { return ReadPlan() }
        let end = offset + min(Int64(length), fileSize - offset)
        var plan = ReadPlan()
        guard isSequential(offset) else {
            plan.drop = chunks.map(\.id)
            chunks.removeAll()
            window = 0
            nextChunkSize = limits.initialChunk
            expectedOffset = end
            highWater = end
            plan.segments = [.direct(offset..<end)]
            return plan
        }
        expectedOffset = end
        highWater = max(highWater, end)
        plan.drop = dropConsumed()
        plan.fetch = issueChunks(readStart: offset, readEnd: end)
        plan.segments = segments(for: offset..<end)
        window = window == 0 ? min(limits.initialChunk, maxWindow) : min(window * 2, maxWindow)
        return plan
    }

    /// A chunk's GET failed: forget it so the next read asks again.
    public mutating func chunkFailed(id: Int) {
        chunks.removeAll { $0.id == id }
    }

    /// Drops every chunk (handle closed); returns their ids.
    public mutating func reset() -> [Int] {
        defer { chunks.removeAll(); window = 0; nextChunkSize = limits.initialChunk }
        return chunks.map(\.id)
    }

    private var maxWindow: Int64 {
        min(limits.maxBytes, limits.maxChunk * Int64(limits.maxChunksAhead))
    }

    private func isSequential(_ offset: Int64) -> Bool {
        if offset == expectedOffset { return true }
        guard let first = chunks.first, let last = chunks.last else { return false }
        return offset >= first.range.lowerBound - limits.slack && offset <= last.range.upperBound + limits.slack
    }

    /// Drops chunks that end more than `slack` behind the furthest read.
    private mutating func dropConsumed() -> [Int] {
        let keepFrom = highWater - limits.slack
        let gone = chunks.filter { $0.range.upperBound <= keepFrom }
        chunks.removeAll { $0.range.upperBound <= keepFrom }
        return gone.map(\.id)
    }

    /// Issues chunks for what no chunk covers from the read's start to `window` bytes past its end,
    /// while the memory bound and the number of chunks ahead allow. Chunks stay sorted and disjoint.
    private mutating func issueChunks(readStart: Int64, readEnd: Int64) -> [Chunk] {
        guard limits.maxBytes > 0 else { return [] }
        let target = min(fileSize, readEnd + window)
        var held = heldBytes
        var ahead = chunks.filter { $0.range.upperBound > readEnd }.count
        var issued: [Chunk] = []
        var position = readStart
        while position < target, ahead < limits.maxChunksAhead {
            if let covering = chunks.first(where: { $0.range.contains(position) }) {
                position = covering.range.upperBound
                continue
            }
            let insertAt = chunks.firstIndex { $0.range.lowerBound > position } ?? chunks.endIndex
            let limit = insertAt < chunks.endIndex ? chunks[insertAt].range.lowerBound : fileSize
            let length = min(nextChunkSize, limit - position)
            guard held + length <= limits.maxBytes else { break }
            let chunk = Chunk(id: nextID, range: position..<(position + length))
            nextID += 1
            chunks.insert(chunk, at: insertAt)
            issued.append(chunk)
            held += length
            ahead += chunk.range.upperBound > readEnd ? 1 : 0
            position += length
            nextChunkSize = min(nextChunkSize * 2, limits.maxChunk)
        }
        return issued
    }

    /// Splits `range` into pieces served by chunks and direct GETs for what no chunk covers.
    private func segments(for range: Range<Int64>) -> [Segment] {
        var result: [Segment] = []
        var position = range.lowerBound
        for chunk in chunks where chunk.range.upperBound > position && chunk.range.lowerBound < range.upperBound {
            if chunk.range.lowerBound > position {
                result.append(.direct(position..<chunk.range.lowerBound))
                position = chunk.range.lowerBound
            }
            let end = min(chunk.range.upperBound, range.upperBound)
            result.append(.chunk(id: chunk.id, range: position..<end))
            position = end
            if position >= range.upperBound { break }
        }
        if position < range.upperBound { result.append(.direct(position..<range.upperBound)) }
        return result
    }
}
