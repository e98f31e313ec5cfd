import Foundation
import OSSProtocol
import Synchronization

/// Reads one object for one open file handle: sequential reads are served from a growing window of
/// parallel ranged GETs issued ahead of the reader (decoupled from the kernel's request size), each
/// read as soon as the bytes it needs have arrived (`ArrivingBody`), anything else by a ranged GET of
/// exactly the bytes asked. `PrefetchPlanner` makes every decision;
/// this class only starts, awaits and cancels the GETs it asks for.
///
/// Reads are pinned to one version of the object (`etag`, sent as If-Match): once another writer has
/// replaced it, a read that needs bytes not fetched yet fails with 412 `PreconditionFailed` (ESTALE
/// to the reader) rather than mix versions. `follow(etag:size:)` moves the reader to a version this
/// mount wrote itself, `move(to:)` to the key this mount renamed the object to.
///
/// Safe to call from concurrent reads of the same handle. The returned `Data` may be a slice of a
/// larger buffer (its `startIndex` need not be 0): read it with `withUnsafeBytes` or index from
/// `startIndex`. Store errors (`OSSError`, `TransportError`) are passed through; a read after `close()`
/// throws `FSError(EBADF)`.
public final class Prefetcher: Sendable {
    private struct State: ~Copyable {
        var planner: PrefetchPlanner
        var target: Target
        var chunks: [Int: (start: Int64, body: ArrivingBody, task: Task<Void, Never>)] = [:]
        var closed = false
        /// The last blocks of the data cache read or fetched here (version, index, bytes): the
        /// kernel's reads are smaller than a block, and each block is read from disk once.
        var recent: [(etag: String, index: Int64, data: Data)] = []
        /// Blocks being read from the cache or fetched, by version and index: concurrent reads of
        /// one block (the kernel's read-ahead sends several at once) share one load.
        var loading: [BlockID: Task<(Data, Bool), any Error>] = [:]
    }

    /// What a GET reads: `key`, only in the version `etag` (If-Match) unless nil.
    private struct Target {
        var key: String
        var etag: String?
    }

    /// One piece of a read's answer: bytes `range` (file offsets) of a chunk, or of a direct GET;
    /// either begins at file offset `start`.
    private struct Piece {
        enum Source {
            case chunk(id: Int, body: ArrivingBody)
            case direct(Task<Data, any Error>)
        }
        var range: Range<Int64>
        var start: Int64
        var source: Source
    }

    private struct BlockID: Hashable {
        var etag: String
        var index: Int64
    }

    private let store: any ObjectStore
    private let state: Mutex<State>
    private let cache: DataCache?

    /// Prepares reads of version `etag` (nil: any) of `key`, whose size is `size` bytes (reads never
    /// go past it). Issues no request.
    /// With `cache`, reads of a known version go by whole blocks: from the cache when held, else
    /// fetched (by this prefetcher, ahead of the reader as usual) and stored in it.
    public init(store: any ObjectStore, key: String, size: Int64, etag: String?, configuration: MountConfiguration,
                cache: DataCache? = nil) {
        self.store = store
        self.cache = cache
        self.state = Mutex(State(planner: PrefetchPlanner(fileSize: size, limits: Self.limits(for: configuration)),
                                 target: Target(key: key, etag: etag)))
    }

    /// Reads version `etag` of `size` bytes from now on (this mount replaced the object): drops
    /// every chunk of the old version.
    public func follow(etag: String?, size: Int64) {
        restart { state in
            state.target.etag = etag
            state.planner = PrefetchPlanner(fileSize: size, limits: state.planner.limits)
        }
    }

    /// Reads the same version under `key` from now on (this mount renamed the object): drops every
    /// chunk fetched or under way from the old key.
    public func move(to key: String) {
        restart { state in
            state.target.key = key
            state.planner = PrefetchPlanner(fileSize: state.planner.fileSize, limits: state.planner.limits)
        }
    }

    private func restart(_ change: (inout State) -> Void) {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            guard !state.closed else { return [] }
            change(&state)
            state.recent.removeAll()
            state.loading.removeAll()
            defer { state.chunks.removeAll() }
            return state.chunks.values.map(\.task)
        }
        for task in tasks { task.cancel() }
    }

    /// The planner's bounds for a mount: chunks from 1 MiB up to 8 MiB, at most `parallelism` (≤ 8)
    /// of them ahead of the reader, never more than `maxPrefetchBytes` held.
    static func limits(for configuration: MountConfiguration) -> PrefetchPlanner.Limits {
        let maxBytes = max(0, configuration.maxPrefetchBytes)
        let initial: Int64 = 1 << 20
        return PrefetchPlanner.Limits(initialChunk: initial, maxChunk: max(initial, min(8 << 20, maxBytes / 4)),
                                      maxBytes: maxBytes, maxChunksAhead: max(1, min(configuration.parallelism, 8)),
                                      slack: 2 << 20)
    }

    /// Reads up to `size` bytes at `offset`; fewer only at the end of the object.
    public func read(offset: Int64, size: Int) async throws -> Data {
        guard let cache else { return try await fetch(offset: offset, size: size) }
        let (target, fileSize) = try state.withLock { state in
            guard !state.closed else { throw FSError(EBADF) }
            return (state.target, state.planner.fileSize)
        }
        guard let etag = target.etag else { return try await fetch(offset: offset, size: size) }
        let end = min(fileSize, offset + Int64(size))
        guard offset < end else { return Data() }
        let blockSize = Int64(cache.blockSize)
        let first = offset / blockSize, last = (end - 1) / blockSize
        if first == last {  // the usual case: a slice of one block, no copy
            let start = first * blockSize
            let block = try await cachedBlock(cache, key: target.key, etag: etag, index: first,
                                              length: Int(min(blockSize, fileSize - start)))
            let lower = Int(offset - start), upper = min(block.count, Int(end - start))
            return lower < upper ? block[(block.startIndex + lower)..<(block.startIndex + upper)] : Data()
        }
        var result = Data(capacity: Int(end - offset))
        for index in first...last {
            let start = index * blockSize
            let block = try await cachedBlock(cache, key: target.key, etag: etag, index: index,
                                              length: Int(min(blockSize, fileSize - start)))
            let lower = Int(max(offset, start) - start)
            let upper = min(block.count, Int(end - start))
            if lower < upper { result.append(block[(block.startIndex + lower)..<(block.startIndex + upper)]) }
            if block.count < Int(min(blockSize, fileSize - start)) { break }
        }
        return result
    }

    /// Block `index` (`length` bytes) of version `etag`: from memory, the cache, or fetched and stored;
    /// a load under way for it is awaited rather than repeated. A block found in the cache starts
    /// loads of the next ones (`cacheReadAhead`), so a cached file is read from disk in parallel.
    private func cachedBlock(_ cache: DataCache, key: String, etag: String, index: Int64, length: Int) async throws -> Data {
        let id = BlockID(etag: etag, index: index)
        let (held, load): (Data?, Task<(Data, Bool), any Error>?) = state.withLock { state in
            if let held = state.recent.first(where: { $0.etag == etag && $0.index == index })?.data { return (held, nil) }
            return (nil, state.loading[id] ?? startLoad(&state, cache, key: key, id: id, length: length))
        }
        if let held { return held }
        let result = await load!.result
        state.withLock { state in
            if state.loading[id] == load { state.loading.removeValue(forKey: id) }
            guard case .success(let (block, fromCache)) = result, state.target.etag == etag else { return }
            if !state.recent.contains(where: { $0.etag == etag && $0.index == index }) {
                state.recent.append((etag, index, block))
                if state.recent.count > 8 { state.recent.removeFirst() }
            }
            guard fromCache else { return }
            let fileSize = state.planner.fileSize, blockSize = Int64(cache.blockSize)
            for next in (index + 1)...(index + Self.cacheReadAhead) where next * blockSize < fileSize {
                let nextID = BlockID(etag: etag, index: next)
                if state.loading[nextID] != nil || state.recent.contains(where: { $0.etag == etag && $0.index == next }) { continue }
                _ = startLoad(&state, cache, key: key, id: nextID, length: Int(min(blockSize, fileSize - next * blockSize)))
            }
        }
        return try result.get().0
    }

    /// Blocks loaded ahead of a reader of cached blocks.
    static let cacheReadAhead: Int64 = 3

    /// Starts loading block `id` (from the cache, else fetched and stored); tells whether it came from the cache.
    private func startLoad(_ state: inout State, _ cache: DataCache, key: String, id: BlockID, length: Int) -> Task<(Data, Bool), any Error> {
        let load = Task { [self] () async throws -> (Data, Bool) in
            if let data = cache.block(key: key, etag: id.etag, index: id.index), data.count == length { return (data, true) }
            let fetched = try await fetch(offset: id.index * Int64(cache.blockSize), size: length)
            // A shorter answer is an object that shrank: returned, never stored.
            if fetched.count == length { cache.store(fetched, key: key, etag: id.etag, index: id.index) }
            return (fetched, false)
        }
        state.loading[id] = load
        return load
    }

    /// Reads up to `size` bytes at `offset` from the store, ahead of the reader when sequential.
    private func fetch(offset: Int64, size: Int) async throws -> Data {
        let pieces = try plan(offset: offset, size: size)
        if pieces.count == 1 {
            return try await bytes(of: pieces[0])
        }
        var result = Data(capacity: pieces.reduce(0) { $0 + $1.range.count })
        for piece in pieces {
            let data = try await bytes(of: piece)
            result.append(data)
            if data.count < piece.range.count { break }
        }
        return result
    }

    /// Cancels every GET in flight and drops the buffers; later reads throw `FSError(EBADF)`.
    public func close() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.closed = true
            state.recent.removeAll()
            state.loading.removeAll()
            _ = state.planner.reset()
            defer { state.chunks.removeAll() }
            return state.chunks.values.map(\.task)
        }
        for task in tasks { task.cancel() }
    }

    deinit { close() }

    /// Asks the planner, starts the GETs it wants, and returns what to await for this read.
    private func plan(offset: Int64, size: Int) throws -> [Piece] {
        let store = self.store
        let (pieces, cancelled): ([Piece], [Task<Void, Never>]) = try state.withLock { state in
            guard !state.closed else { throw FSError(EBADF) }
            let (key, etag) = (state.target.key, state.target.etag)
            let plan = state.planner.read(offset: offset, length: size)
            var cancelled: [Task<Void, Never>] = []
            for id in plan.drop {
                if let old = state.chunks.removeValue(forKey: id) { cancelled.append(old.task) }
            }
            for chunk in plan.fetch {
                let range = chunk.range
                let body = ArrivingBody(length: range.count)
                let task = Task {
                    do {
                        body.finish(.success(try await store.getObject(key, exactly: range, ifMatch: etag, progress: body)))
                    } catch {
                        body.finish(.failure(error))
                    }
                }
                state.chunks[chunk.id] = (range.lowerBound, body, task)
            }
            let pieces = plan.segments.map { segment -> Piece in
                switch segment {
                case .chunk(let id, let range):
                    let held = state.chunks[id]!
                    return Piece(range: range, start: held.start, source: .chunk(id: id, body: held.body))
                case .direct(let range):
                    return Piece(range: range, start: range.lowerBound,
                                 source: .direct(Task { try await store.getObject(key, exactly: range, ifMatch: etag) }))
                }
            }
            return (pieces, cancelled)
        }
        for task in cancelled { task.cancel() }
        return pieces
    }

    /// The bytes of one piece; of a chunk, as soon as they have arrived. A chunk that failed, or was
    /// cancelled under a concurrent reader by a seek elsewhere (or by `follow`/`move`), is forgotten
    /// (later reads ask again) and this piece is asked once more directly, of the current key and
    /// version: a prefetch that failed long before its bytes were wanted must not fail the read by itself.
    private func bytes(of piece: Piece) async throws -> Data {
        let data: Data
        do {
            switch piece.source {
            case .direct(let task): data = try await task.value
            case .chunk(_, let body): data = try await body.bytes(atLeast: Int(piece.range.upperBound - piece.start))
            }
        } catch {
            guard case .chunk(let id, let body) = piece.source else { throw error }
            let target = state.withLock { state in
                if state.chunks[id]?.body === body {
                    state.chunks.removeValue(forKey: id)
                    state.planner.chunkFailed(id: id)
                }
                return state.target
            }
            if Task.isCancelled { throw error }
            return try await store.getObject(target.key, exactly: piece.range, ifMatch: target.etag)
        }
        let lower = Int(piece.range.lowerBound - piece.start)
        guard lower < data.count else { return Data() }
        let upper = min(data.count, Int(piece.range.upperBound - piece.start))
        if lower == 0 && upper == data.count { return data }
        return data[(data.startIndex + lower)..<(data.startIndex + upper)]
    }
}
