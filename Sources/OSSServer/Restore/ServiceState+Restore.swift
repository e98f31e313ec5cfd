import OSSProtocol

extension ServiceState {
    /// The restore rule for GET/HEAD of `content` (the object itself, or a link's target: the target's
    /// state decides). Returns the `x-oss-restore` header to add (none for classes that need no
    /// restore, and none while frozen); throws 403 InvalidObjectState when `reading` the data of an
    /// archive-class object that is not restored. HEAD (`reading == false`) always succeeds.
    func restoreHeaders(for content: ObjectRecord, reading: Bool) async throws -> [(name: String, value: String)] {
        guard RestoreStatus.needsRestore(content.storageClass) else { return [] }
        let storage = self.storage
        let status = try await io { try storage.restoreStatus(of: content) }
        if reading {
            guard case .restored = status else { throw ServerError.invalidObjectState }
        }
        return status.headerValue.map { [("x-oss-restore", $0)] } ?? []
    }
}
