import Foundation
import OSSProtocol
import Synchronization

/// Wraps any store: counts requests per operation (so request-count assertions hold for every
/// backend of a contract suite) and injects the failures data-path tests need (a failing
/// UploadPart, failing GETs, a GET whose body stops half-way until released).
public final class RecordingObjectStore: ObjectStore, Sendable {
    private struct State {
        var counts: [StoreOperation: Int] = [:]
        var failUploadPartNumbers: Set<Int> = []
        var failGets = false
        var holdAfter: Int?
        var held: [CheckedContinuation<Void, Never>] = []
    }
    public let base: any ObjectStore
    private let state = Mutex(State())

    public init(_ base: any ObjectStore) { self.base = base }

    /// The error an injected failure throws: 500 InternalError.
    public static let injected = OSSError(.internalError, message: "injected by the test")

    /// Requests of `operation` so far.
    public func requests(_ operation: StoreOperation) -> Int { state.withLock { $0.counts[operation, default: 0] } }
    /// Requests of every operation so far.
    public var total: Int { state.withLock { $0.counts.values.reduce(0, +) } }
    /// Requests so far by operation.
    public var summary: [StoreOperation: Int] { state.withLock { $0.counts } }
    /// Forgets the counts.
    public func reset() { state.withLock { $0.counts = [:] } }

    /// UploadPart of these part numbers fails with `injected`.
    public func failUploadParts(_ numbers: Set<Int>) { state.withLock { $0.failUploadPartNumbers = numbers } }
    /// Every GetObject fails with a transport error while set.
    public func failGets(_ fail: Bool) { state.withLock { $0.failGets = fail } }
    /// While set, a GET told of its progress tells only the first `bytes` bytes of its answer, then
    /// waits for `releaseHeldGets()`: a body whose first bytes have arrived and the rest has not.
    public func holdGets(after bytes: Int) { state.withLock { $0.holdAfter = bytes } }
    /// Lets every held GET, and those to come, finish.
    public func releaseHeldGets() {
        for continuation in state.withLock({ s in defer { s.held = []; s.holdAfter = nil }; return s.held }) {
            continuation.resume()
        }
    }
    /// GETs waiting in `holdGets`.
    public var heldGets: Int { state.withLock { $0.held.count } }

    private func count(_ operation: StoreOperation) { state.withLock { $0.counts[operation, default: 0] += 1 } }

    public func headObject(_ key: String) async throws -> ObjectMetadata { count(.headObject); return try await base.headObject(key) }
    public func getObject(_ key: String, range: Range<Int64>?, ifMatch: String?, progress: (any BodyProgress)?) async throws -> Data {
        count(.getObject)
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
    @discardableResult
    public func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String {
        count(.putObject); return try await base.putObject(key, body: body, options: options)
    }
    public func deleteObject(_ key: String) async throws { count(.deleteObject); try await base.deleteObject(key) }
    public func deleteObjects(_ keys: [String]) async throws { count(.deleteObjects); try await base.deleteObjects(keys) }
    public func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws {
        count(.copyObject); try await base.copyObject(from: source, to: destination, replacing: metadata)
    }
    public func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage {
        count(.listObjects)
        return try await base.listObjects(prefix: prefix, delimiter: delimiter, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    public func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        count(.putSymlink); try await base.putSymlink(key, target: target, options: options)
    }
    public func getSymlink(_ key: String) async throws -> SymlinkInfo { count(.getSymlink); return try await base.getSymlink(key) }
    public func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String {
        count(.initiateMultipartUpload); return try await base.initiateMultipartUpload(key, options: options)
    }
    public func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart {
        count(.uploadPart)
        if state.withLock({ $0.failUploadPartNumbers.contains(partNumber) }) { throw Self.injected }
        return try await base.uploadPart(key, uploadId: uploadId, partNumber: partNumber, body: body)
    }
    @discardableResult
    public func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart],
                                        forbidOverwrite: Bool) async throws -> String {
        count(.completeMultipartUpload)
        return try await base.completeMultipartUpload(key, uploadId: uploadId, parts: parts, forbidOverwrite: forbidOverwrite)
    }
    public func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions) async throws -> Int64 {
        count(.appendObject); return try await base.appendObject(key, position: position, body: body, options: options)
    }
    public func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        count(.abortMultipartUpload); try await base.abortMultipartUpload(key, uploadId: uploadId)
    }
}
