import Foundation
import Synchronization
import OSSProtocol
import TestSupport

/// Wraps any store and counts requests per operation, so request-count assertions hold for every
/// backend of the contract suite.
final class CountingObjectStore: ObjectStore, Sendable {
    private let base: any ObjectStore
    private let counts = Mutex([StoreOperation: Int]())

    init(_ base: any ObjectStore) { self.base = base }

    private func count(_ operation: StoreOperation) {
        counts.withLock { $0[operation, default: 0] += 1 }
    }

    func requests(_ operation: StoreOperation) -> Int { counts.withLock { $0[operation, default: 0] } }
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
    var summary: [StoreOperation: Int] { counts.withLock { $0 } }
    func reset() { counts.withLock { $0 = [:] } }

    func headObject(_ key: String) async throws -> ObjectMetadata { count(.headObject); return try await base.headObject(key) }
    func getObject(_ key: String, range: Range<Int64>?) async throws -> Data {
        count(.getObject); return try await base.getObject(key, range: range)
    }
    func getObject(_ key: String, range: Range<Int64>?, ifMatch: String?, progress: (any BodyProgress)?) async throws -> Data {
        count(.getObject); return try await base.getObject(key, range: range, ifMatch: ifMatch, progress: progress)
    }
    @discardableResult
    func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String {
        count(.putObject); return try await base.putObject(key, body: body, options: options)
    }
    func deleteObject(_ key: String) async throws { count(.deleteObject); try await base.deleteObject(key) }
    func deleteObjects(_ keys: [String]) async throws { count(.deleteObjects); try await base.deleteObjects(keys) }
    func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws {
        count(.copyObject); try await base.copyObject(from: source, to: destination, replacing: metadata)
    }
    func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage {
        count(.listObjects)
        return try await base.listObjects(prefix: prefix, delimiter: delimiter, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        count(.putSymlink); try await base.putSymlink(key, target: target, options: options)
    }
    func getSymlink(_ key: String) async throws -> SymlinkInfo { count(.getSymlink); return try await base.getSymlink(key) }
    func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String {
        count(.initiateMultipartUpload); return try await base.initiateMultipartUpload(key, options: options)
    }
    func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart {
        count(.uploadPart); return try await base.uploadPart(key, uploadId: uploadId, partNumber: partNumber, body: body)
    }
    @discardableResult
    func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart], forbidOverwrite: Bool) async throws -> String {
        count(.completeMultipartUpload)
        return try await base.completeMultipartUpload(key, uploadId: uploadId, parts: parts, forbidOverwrite: forbidOverwrite)
    }
    func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions) async throws -> Int64 {
        count(.appendObject); return try await base.appendObject(key, position: position, body: body, options: options)
    }
    func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        count(.abortMultipartUpload); try await base.abortMultipartUpload(key, uploadId: uploadId)
    }
}
