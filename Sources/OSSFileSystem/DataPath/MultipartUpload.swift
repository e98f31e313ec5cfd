import Foundation
import OSSProtocol

/// One multipart upload of a staged file: Initiate, the parts of a `MultipartPlan` in parallel
/// (bounded), then Complete only when every part succeeded; on any failure Abort, then rethrow the
/// first error. The object under the key is untouched until Complete.
struct MultipartUpload: Sendable {
    let store: any ObjectStore
    let key: String
    let options: WriteOptions
    let parallelism: Int

    /// Uploads `plan.parts` of the file at `path`; parts already uploaded (`reusing`, by number) are
    /// not sent again. Returns the new object's ETag.
    func run(path: String, plan: MultipartPlan, uploadID: String? = nil,
             reusing done: [Int: UploadedPart] = [:]) async throws -> String {
        let uploadID = try await uploadIDOrInitiate(uploadID)
        do {
            var parts = done
            let missing = plan.parts.filter { parts[$0.number] == nil }
            for part in try await upload(missing, path: path, uploadID: uploadID) { parts[part.number] = part }
            let ordered = plan.parts.map { parts[$0.number]! }
            return try await store.completeMultipartUpload(key, uploadId: uploadID, parts: ordered,
                                                           forbidOverwrite: options.forbidOverwrite)
        } catch {
            await abort(uploadID: uploadID)
            throw error
        }
    }

    /// Starts a new upload unless one is given.
    func uploadIDOrInitiate(_ uploadID: String?) async throws -> String {
        if let uploadID { return uploadID }
        return try await store.initiateMultipartUpload(key, options: options)
    }

    /// Aborts, even from a cancelled task; an abort failure is ignored (the original error matters
    /// more, and the server expires abandoned uploads).
    func abort(uploadID: String) async {
        let (store, key) = (self.store, self.key)
        await Task.detached { try? await store.abortMultipartUpload(key, uploadId: uploadID) }.value
    }

    /// Uploads `parts` with at most `parallelism` in flight; the first failure cancels the rest.
    func upload(_ parts: [MultipartPlan.Part], path: String, uploadID: String) async throws -> [UploadedPart] {
        let (store, key) = (self.store, self.key)
        return try await withThrowingTaskGroup(of: UploadedPart.self) { group in
            var results: [UploadedPart] = []
            var pending = parts[...]
            func startNext() {
                guard let part = pending.popFirst() else { return }
                group.addTask {
                    let body = UploadBody.file(path: path, offset: part.range.lowerBound, length: part.length)
                    let uploaded = try await store.uploadPart(key, uploadId: uploadID, partNumber: part.number, body: body)
                    return UploadedPart(number: part.number, etag: uploaded.etag)
                }
            }
            for _ in 0..<max(1, parallelism) { startNext() }
            while let part = try await group.next() {
                results.append(part)
                startNext()
            }
            return results
        }
    }
}
