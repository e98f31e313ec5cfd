import Foundation
import OSSProtocol

/// An object opened for reading, with symlinks followed one level and ACLs checked for both link
/// and target. The descriptor (if any) belongs to whoever consumes it.
struct OpenedObject: Sendable {
    /// The addressed object (the link itself for a symlink).
    var meta: ObjectRecord
    /// Where length, ETag, CRC and bytes come from (the target for a symlink).
    var content: ObjectRecord
    var fd: Int32?

    func close() { if let fd { _ = Foundation.close(fd) } }
}

extension ServiceState {
    /// Opens `key` for GET/HEAD: NoSuchKey, SymlinkTargetNotExist, InvalidTargetType and
    /// AccessDenied (least privilege through links) as oss-protocol.md 1.4 describes.
    func openForRead(_ request: RequestContext, bucket: BucketRecord, key: String) async throws -> OpenedObject {
        let storage = self.storage
        let name = bucket.name
        guard let opened = try await io({ try storage.openObject(bucket: name, key: key) }) else {
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: nil)
            throw ServerError.noSuchKey(key)
        }
        var result = OpenedObject(meta: opened.record, content: opened.record, fd: opened.fd)
        do {
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: opened.record.acl)
            guard opened.record.type == .symlink else { return result }
            let target = opened.record.symlinkTarget ?? ""
            guard let followed = try await io({ try storage.openObject(bucket: name, key: target) }) else {
                throw ServerError.symlinkTargetNotExist
            }
            result.content = followed.record
            result.fd = followed.fd
            guard followed.record.type != .symlink else { throw ServerError.invalidTargetType }
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: followed.record.acl)
            return result
        } catch {
            result.close()
            throw error
        }
    }
}
