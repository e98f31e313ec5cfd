import Foundation
import OSSProtocol
import Synchronization

/// Wraps a real store: counts calls per operation and injects failures, so data-path tests can see
/// which requests were made (GETs, UploadPart, Abort) and what happens when one fails.
final class DataPathRecordingStore: ObjectStore {
    private struct State {
        var counts: [String: Int] = [:]
        var failUploadPartNumbers: Set<Int> = []
        var failGets = false
        var holdAfter: Int?
        var held: [CheckedContinuation<Void, Never>] = []
    }
    let base: any ObjectStore
    private let state = Mutex(State())

    init(_ base: any ObjectStore) { self.base = base }

    /// Calls of operation `name` so far ("GetObject", "UploadPart", ...).
    func count(_ name: String) -> Int { state.withLock { $0.counts[name, default: 0] } }
    func resetCounts() { state.withLock { $0.counts = [:] } }
    /// UploadPart of these part numbers fails with a 500 InternalError.
    func failUploadParts(_ numbers: Set<Int>) { state.withLock { $0.failUploadPartNumbers = numbers } }
    /// Every GetObject fails with a transport error while set.
    func failGets(_ fail: Bool) { state.withLock { $0.failGets = fail } }

    /// While set, a GET told of its progress tells only the first `bytes` bytes of its answer, then
    /// waits for `releaseHeldGets()`: a body whose first bytes have arrived and the rest has not.
    func holdGets(after bytes: Int) { state.withLock { $0.holdAfter = bytes } }
    /// Lets every held GET, and those to come, finish.
    func releaseHeldGets() {
        for continuation in state.withLock({ s in defer { s.held = []; s.holdAfter = nil }; return s.held }) {
            continuation.resume()
        }
    }
    /// GETs waiting in `holdGets`.
    var heldGets: Int { state.withLock { $0.held.count } }

    private func record(_ name: String) { state.withLock { $0.counts[name, default: 0] += 1 } }
    static let injected = OSSError(httpStatus: 500, code: "InternalError", message: "injected by the test")

    func headObject(_ key: String) async throws -> ObjectMetadata { record("HeadObject"); return try await base.headObject(key) }
    func getObject(_ key: String, range: Range<Int64>?) async throws -> Data {
        try await getObject(key, range: range, ifMatch: nil, progress: nil)
    }
    func getObject(_ key: String, range: Range<Int64>?, ifMatch: String?, progress: (any BodyProgress)?) async throws -> Data {
        record("GetObject")
        if state.withLock({ $0.failGets }) { throw TransportError(.connection, "injected by the test") }
        guard let hold = state.withLock({ $0.holdAfter }), let progress else {
            return try await base.getObject(key, range: range, ifMatch: ifMatch, progress: progress)
        }
        let data = try await base.getObject(key, range: range, ifMatch: ifMatch, progress: nil)
        progress.received(data.prefix(hold))
        await withCheckedContinuation { continuation in
            let goOn = state.withLock { s in
                if s.holdAfter == nil { return true }
                s.held.append(continuation)
                return false
            }
            if goOn { continuation.resume() }
        }
        progress.received(data)
        return data
    }
    func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String {
        record("PutObject"); return try await base.putObject(key, body: body, options: options)
    }
    func deleteObject(_ key: String) async throws { record("DeleteObject"); try await base.deleteObject(key) }
    func deleteObjects(_ keys: [String]) async throws { record("DeleteObjects"); try await base.deleteObjects(keys) }
    func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws {
        record("CopyObject"); try await base.copyObject(from: source, to: destination, replacing: metadata)
    }
    func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage {
        record("ListObjects")
        return try await base.listObjects(prefix: prefix, delimiter: delimiter, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        record("PutSymlink"); try await base.putSymlink(key, target: target, options: options)
    }
    func getSymlink(_ key: String) async throws -> SymlinkInfo { record("GetSymlink"); return try await base.getSymlink(key) }
    func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String {
        record("InitiateMultipartUpload"); return try await base.initiateMultipartUpload(key, options: options)
    }
    func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart {
        record("UploadPart")
        if state.withLock({ $0.failUploadPartNumbers.contains(partNumber) }) { throw Self.injected }
        return try await base.uploadPart(key, uploadId: uploadId, partNumber: partNumber, body: body)
    }
    func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart], forbidOverwrite: Bool) async throws -> String {
        record("CompleteMultipartUpload")
        return try await base.completeMultipartUpload(key, uploadId: uploadId, parts: parts, forbidOverwrite: forbidOverwrite)
    }
    func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        record("AbortMultipartUpload"); try await base.abortMultipartUpload(key, uploadId: uploadId)
    }
}
