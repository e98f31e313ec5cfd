import Foundation
import OSSProtocol

/// An object opened for reading, with symlinks followed one level and ACLs checked for both link
/// and target. The descriptors belong to whoever consumes them.
struct OpenedObject: Sendable {
    /// The addressed object (the link itself for a symlink).
    var meta: ObjectRecord
    /// Where length, ETag, CRC and bytes come from (the target for a symlink).
    var content: ObjectRecord
    /// The content's data files, in order.
    var files: [OpenSegment]

    func close() { files.forEach { $0.close() } }
}

extension ServiceState {
    /// Opens `key` for GET/HEAD: NoSuchKey, SymlinkTargetNotExist, InvalidTargetType and
    /// AccessDenied (least privilege through links) as oss-protocol.md 1.4 describes. `wanted`
    /// picks, from the content's size, the bytes that will be sent (nil: none, as for HEAD).
    func openForRead(_ request: RequestContext, bucket: BucketRecord, key: String,
                     wanted: @escaping @Sendable (Int64) throws -> ClosedRange<Int64>?) async throws -> OpenedObject {
        let storage = self.storage
        let name = bucket.name
        guard let opened = try await io({ try storage.openObject(bucket: name, key: key) { try wanted($0.size) } }) else {
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: nil)
            throw ServerError.noSuchKey(key)
        }
        var result = OpenedObject(meta: opened.record, content: opened.record, files: opened.files)
        do {
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: opened.record.acl)
            guard opened.record.type == .symlink else { return result }
            let target = opened.record.symlinkTarget ?? ""
            guard let followed = try await io({ try storage.openObject(bucket: name, key: target) { try wanted($0.size) } }) else {
                throw ServerError.symlinkTargetNotExist
            }
            result.content = followed.record
            result.files = followed.files
            guard followed.record.type != .symlink else { throw ServerError.invalidTargetType }
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: followed.record.acl)
            return result
        } catch {
            result.close()
            throw error
        }
    }
}
