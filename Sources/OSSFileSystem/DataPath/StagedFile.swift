import Foundation
import OSSProtocol
import Synchronization

/// The local copy of one object, for one open file handle that writes: writes and truncations land
/// in an anonymous sparse staging file (see `StagingFileDescriptor`), `upload` sends it with
/// PutObject, or with a parallel multipart upload at or above `multipartThreshold`.
///
/// With `loadExisting`, the object's current bytes are kept: they are downloaded (parallel ranged
/// GETs, streamed to disk) on first need — a read, an upload, or a write that does not cover them all.
/// A new handle is dirty unless it starts from the existing object. Store errors (`OSSError`,
/// `TransportError`) pass through; local failures are `FSError` (`ENOSPC`, `EIO`, ...); any call after
/// `discard()` throws `FSError(EBADF)`.
public final class StagedFile: Sendable {
    /// Uploads (`upload(options:)`) running now, process-wide (`-o metrics`).
    static let uploadsInFlight = Atomic<Int>(0)
    /// Bytes of each ranged GET that copies an object into staging before a partial write.
    public static let loadChunk: Int64 = 8 << 20

    private struct State: ~Copyable {
        var file: StagingFileDescriptor?
        /// Streaming multipart, once enabled; nil after `discard()`.
        var background: BackgroundUpload?
        var size: Int64
        /// Leading bytes of the existing object not yet downloaded (0: nothing to load).
        var baseLength: Int64
        var loading: Task<Void, any Error>?
        /// Bumped by every change; `uploaded` is the generation the store last received.
        var generation: UInt64 = 1
        var uploaded: UInt64
    }

    private let store: any ObjectStore
    private let key: String
    private let configuration: MountConfiguration
    /// The version existing content is loaded from (If-Match); nil: whatever is there.
    private let baseETag: String?
    private let state: Mutex<State>

    /// Creates the staging file for `key`. `initialSize` is the object's current size; with
    /// `loadExisting == false` the content starts as `initialSize` zero bytes (usually 0). With
    /// `baseETag`, existing content is loaded from that version only (else 412 `PreconditionFailed`):
    /// a new version is never built from bytes of two.
    public init(store: any ObjectStore, key: String, configuration: MountConfiguration,
                initialSize: Int64, loadExisting: Bool, baseETag: String? = nil) throws {
        let file = try StagingFileDescriptor(directory: configuration.stagingDirectory)
        try file.truncate(to: max(0, initialSize))
        self.store = store
        self.key = key
        self.baseETag = loadExisting ? baseETag : nil
        self.configuration = configuration
        let background = BackgroundUpload(store: store, key: key, file: file, configuration: configuration)
        self.state = Mutex(State(file: file, background: background, size: max(0, initialSize),
                                 baseLength: loadExisting ? max(0, initialSize) : 0,
                                 uploaded: loadExisting ? 1 : 0))
    }

    deinit { discard() }

    /// Current length of the staged content.
    public var size: Int64 { state.withLock { $0.size } }

    /// Whether the staged content differs from what the store last received from this handle.
    public var isDirty: Bool { state.withLock { $0.generation != $0.uploaded } }

    /// Writes `data` at `offset` (a hole before it reads as zeros); returns the bytes written.
    public func write(offset: Int64, data: Data) async throws -> Int {
        guard offset >= 0 else { throw FSError(EINVAL) }
        guard offset <= Int64.max - Int64(data.count) else { throw FSError(EFBIG) }
        guard !data.isEmpty else { return 0 }
        let end = offset + Int64(data.count)
        let file = try await loaded(unlessCovered: offset..<end)
        try checkSpace(file, growingTo: end)
        do {
            try file.write(data, at: offset)
        } catch {
            // A write that failed part way (ENOSPC) must not leave bytes past the logical end, where a
            // later extension would show them instead of zeros.
            try? state.withLock { state in if end > state.size { try file.truncate(to: state.size) } }
            throw error
        }
        let (background, size) = state.withLock { state in
            state.size = max(state.size, end)
            state.generation += 1
            return (state.background, state.size)
        }
        background?.wrote(offset..<end, size: size)
        return data.count
    }

    /// Reads up to `size` bytes at `offset`; fewer only at the end of the staged content.
    /// Until the existing object has been downloaded (nothing was written yet), reads are ranged
    /// GETs of it: opening a large file for writing and only reading it downloads nothing more.
    public func read(offset: Int64, size: Int) async throws -> Data {
        guard offset >= 0 else { throw FSError(EINVAL) }
        let (length, remote) = try state.withLock { state -> (Int, Int64?) in
            guard state.file != nil else { throw FSError(EBADF) }
            let length = Int(max(0, min(Int64(size), state.size - offset)))
            return (length, state.baseLength > 0 && state.loading == nil ? state.baseLength : nil)
        }
        guard length > 0 else { return Data() }
        if let baseLength = remote {
            // Staged content = the object's first `baseLength` bytes, then zeros up to `size`.
            let end = offset + Int64(length)
            var data = offset < baseLength ? try await store.getObject(key, exactly: offset..<min(end, baseLength), ifMatch: baseETag) : Data()
            if data.count < length && offset + Int64(data.count) >= min(end, baseLength) {
                data.append(Data(count: length - data.count))
            }
            return data
        }
        let file = try await loaded(unlessCovered: nil)
        return try file.read(at: offset, length: length)
    }

    /// Sets the length: shrinks, or extends with zeros.
    public func truncate(to size: Int64) async throws {
        guard size >= 0 else { throw FSError(EINVAL) }
        while true {
            let pending: Task<Void, any Error>? = try state.withLock { state in
                guard let file = state.file else { throw FSError(EBADF) }
                if let loading = state.loading { return loading }
                try file.truncate(to: size)
                state.background?.truncated(from: state.size, to: size)
                state.baseLength = min(state.baseLength, size)
                if state.size != size { state.generation += 1 }
                state.size = size
                return nil
            }
            guard let pending else { return }
            try await pending.value
        }
    }

    /// Sends the staged content to the store as the object's new version and returns its ETag.
    /// Multipart at or above `multipartThreshold`; a failed multipart upload is aborted and its
    /// error rethrown, leaving the previous object as it was.
    public func upload(options: WriteOptions) async throws -> String {
        Self.uploadsInFlight.add(1, ordering: .relaxed)
        defer { Self.uploadsInFlight.subtract(1, ordering: .relaxed) }
        let file = try await loaded(unlessCovered: nil)
        let (size, generation) = state.withLock { ($0.size, $0.generation) }
        let background = state.withLock { $0.background }
        let etag: String
        if size == 0 || size < configuration.multipartThreshold {
            await background?.abandon()
            let body: UploadBody = size == 0 ? .bytes(Data()) : .file(path: file.path, offset: 0, length: size)
            etag = try await store.putObject(key, body: body, options: options)
        } else {
            let plan = MultipartPlan(size: size, preferredPartSize: configuration.partSize)
            let handover = await background?.handOver(plan: plan, options: options)
            let upload = MultipartUpload(store: store, key: key, options: options, parallelism: configuration.parallelism)
            etag = try await upload.run(path: file.path, plan: plan, uploadID: handover?.uploadID, reusing: handover?.parts ?? [:])
        }
        state.withLock { state in
            state.uploaded = max(state.uploaded, generation)
        }
        withExtendedLifetime(file) {}
        return etag
    }

    /// Lets parts of a large file written sequentially be uploaded before `upload(options:)`
    /// (streaming multipart), which then only sends the rest. `options` must be what `upload` will be
    /// given: with other options the early parts are aborted and everything is sent again.
    public func enableBackgroundUpload(options: WriteOptions) {
        state.withLock { $0.background }?.enable(options: options)
    }

    /// The options of a multipart upload already started in the background (parts sent), nil when
    /// none is open. Passing them to `upload(options:)` keeps those parts; other options cost a
    /// restart of the whole upload.
    public var backgroundUploadOptions: WriteOptions? {
        state.withLock { $0.background }?.openUploadOptions
    }

    /// Drops the staged content: the staging file is gone once no upload still reads it; a
    /// background multipart upload not taken over by `upload` is aborted.
    public func discard() {
        let (loading, background) = state.withLock { state -> (Task<Void, any Error>?, BackgroundUpload?) in
            state.file = nil
            defer { state.loading = nil; state.background = nil }
            return (state.loading, state.background)
        }
        loading?.cancel()
        background?.cancel()
    }

    // MARK: - Loading the existing object

    /// Returns the staging file once the existing object's bytes are in it, or once `range` covers
    /// all of them (the write replaces them; nothing is downloaded).
    private func loaded(unlessCovered range: Range<Int64>?) async throws -> StagingFileDescriptor {
        while true {
            let step: (StagingFileDescriptor?, Task<Void, any Error>?) = try state.withLock { state in
                guard let file = state.file else { throw FSError(EBADF) }
                if state.baseLength == 0 { return (file, nil) }
                if let loading = state.loading { return (nil, loading) }
                if let range, range.lowerBound == 0, range.upperBound >= state.baseLength {
                    state.baseLength = 0
                    return (file, nil)
                }
                let length = state.baseLength
                let task = Task { try await self.download(length, into: file) }
                state.loading = task
                return (nil, task)
            }
            if let file = step.0 { return file }
            try await step.1!.value
        }
    }

    /// Downloads the first `length` bytes of the object into `file` with parallel ranged GETs, then
    /// marks them loaded. On failure nothing is marked, so the next caller tries again.
    private func download(_ length: Int64, into file: StagingFileDescriptor) async throws {
        do {
            guard try file.availableBytes() >= length else { throw FSError(ENOSPC) }
            let chunk = Self.loadChunk
            let ranges = stride(from: Int64(0), to: length, by: Int(chunk)).map { $0..<min(length, $0 + chunk) }
            let (store, key, etag) = (self.store, self.key, self.baseETag)
            try await withThrowingTaskGroup(of: Void.self) { group in
                var pending = ranges[...]
                for _ in 0..<max(1, min(configuration.parallelism, configuration.stagingLoadsInFlight ?? .max)) {
                    guard let range = pending.popFirst() else { break }
                    group.addTask { try file.write(try await store.getObject(key, exactly: range, ifMatch: etag), at: range.lowerBound) }
                }
                while try await group.next() != nil {
                    guard let range = pending.popFirst() else { continue }
                    group.addTask { try file.write(try await store.getObject(key, exactly: range, ifMatch: etag), at: range.lowerBound) }
                }
            }
            state.withLock { state in
                state.baseLength = 0
                state.loading = nil
            }
        } catch {
            state.withLock { $0.loading = nil }
            throw error
        }
    }

    /// Fails with `ENOSPC` when growing the file to `end` bytes cannot fit on the staging disk.
    private func checkSpace(_ file: StagingFileDescriptor, growingTo end: Int64) throws {
        let growth = end - size
        guard growth > 0 else { return }
        guard try file.availableBytes() >= growth else { throw FSError(ENOSPC) }
    }
}
