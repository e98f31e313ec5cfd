import Foundation
import OSSProtocol
import Synchronization

/// Streaming multipart for one `StagedFile`: while a large file is written sequentially, parts the
/// writer has moved past are uploaded in the background (as `BackgroundUploadPlanner` decides), so
/// the final upload only sends what is left and completes. Background failures are not reported
/// here: the final upload re-sends any part that is missing or stale.
final class BackgroundUpload: Sendable {
    /// What the final upload takes over: an open multipart upload and the parts it may reuse.
    struct Handover: Sendable {
        var uploadID: String
        var parts: [Int: UploadedPart]
    }

    private struct State: ~Copyable {
        var planner: BackgroundUploadPlanner
        var options: WriteOptions?
        var uploadID: Task<String, any Error>?
        var tasks: [Int: Task<Void, Never>] = [:]
        var nextTask = 0
    }

    private let store: any ObjectStore
    private let key: String
    private let file: StagingFileDescriptor
    private let state: Mutex<State>

    init(store: any ObjectStore, key: String, file: StagingFileDescriptor, configuration: MountConfiguration) {
        self.store = store
        self.key = key
        self.file = file
        let partSize = MultipartPlan(size: 0, preferredPartSize: configuration.partSize).partSize
        self.state = Mutex(State(planner: BackgroundUploadPlanner(partSize: partSize, threshold: configuration.multipartThreshold,
                                                                   maxInFlight: configuration.parallelism)))
    }

    /// Allows background parts, for a final upload with exactly these options.
    func enable(options: WriteOptions) {
        state.withLock { $0.options = options }
    }

    /// The options of the multipart upload started in the background, nil when none is open.
    var openUploadOptions: WriteOptions? {
        state.withLock { $0.uploadID == nil ? nil : $0.options }
    }

    /// A write of `range` landed; the file is now `size` bytes.
    func wrote(_ range: Range<Int64>, size: Int64) {
        let starts = state.withLock { state -> [BackgroundUploadPlanner.Start] in
            guard state.options != nil else { return [] }
            return state.planner.wrote(range, size: size)
        }
        launch(starts)
    }

    /// The file was truncated.
    func truncated(from oldSize: Int64, to newSize: Int64) {
        state.withLock { $0.planner.truncated(from: oldSize, to: newSize) }
    }

    /// Hands the background upload to a final multipart upload of `plan` with `options`, once the
    /// parts in flight have ended; nil (after aborting what was started) when there is none or it
    /// cannot be used (other options, other part layout, Initiate failed).
    func handOver(plan: MultipartPlan, options: WriteOptions) async -> Handover? {
        let (usable, pending): (Bool, [Task<Void, Never>]) = state.withLock { state in
            (state.options == options && state.uploadID != nil && state.planner.partSize == plan.partSize,
             Array(state.tasks.values))
        }
        guard usable else {
            await abandon()
            return nil
        }
        var waiting = pending
        while !waiting.isEmpty {
            for task in waiting { await task.value }
            waiting = state.withLock { Array($0.tasks.values) }
        }
        let taken = state.withLock { state -> (Task<String, any Error>, [Int: String])? in
            guard let uploadID = state.uploadID else { return nil }
            let parts = state.planner.reusable(for: plan)
            state.uploadID = nil
            state.planner.reset()
            return (uploadID, parts)
        }
        guard let (uploadIDTask, etags) = taken, let uploadID = try? await uploadIDTask.value else { return nil }
        return Handover(uploadID: uploadID,
                        parts: Dictionary(uniqueKeysWithValues: etags.map { ($0.key, UploadedPart(number: $0.key, etag: $0.value)) }))
    }

    /// Aborts the background upload, if any, and waits for the abort.
    func abandon() async {
        await abortTask()?.value
    }

    /// Aborts the background upload, if any, without waiting (the handle is gone).
    func cancel() {
        state.withLock { $0.options = nil }
        _ = abortTask()
    }

    private func abortTask() -> Task<Void, Never>? {
        let uploadID = state.withLock { state -> Task<String, any Error>? in
            defer { state.uploadID = nil; state.planner.reset() }
            return state.uploadID
        }
        guard let uploadID else { return nil }
        let (store, key) = (self.store, self.key)
        return Task.detached {
            guard let id = try? await uploadID.value else { return }
            try? await store.abortMultipartUpload(key, uploadId: id)
        }
    }

    private func launch(_ starts: [BackgroundUploadPlanner.Start]) {
        guard !starts.isEmpty else { return }
        let (store, key, path) = (self.store, self.key, file.path)
        state.withLock { state in
            guard let options = state.options else { return }
            let uploadID = state.uploadID ?? Task { try await store.initiateMultipartUpload(key, options: options) }
            state.uploadID = uploadID
            for start in starts {
                let serial = state.nextTask
                state.nextTask += 1
                state.tasks[serial] = Task {
                    var etag: String?
                    if let id = try? await uploadID.value {
                        let body = UploadBody.file(path: path, offset: start.range.lowerBound, length: Int64(start.range.count))
                        etag = try? await store.uploadPart(key, uploadId: id, partNumber: start.number, body: body).etag
                    }
                    self.ended(start, etag: etag, serial: serial)
                }
            }
        }
    }

    private func ended(_ start: BackgroundUploadPlanner.Start, etag: String?, serial: Int) {
        let next = state.withLock { state in
            state.tasks[serial] = nil
            return state.planner.finished(start, etag: etag)
        }
        launch(next)
    }
}
