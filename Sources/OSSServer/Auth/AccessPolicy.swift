import OSSProtocol

/// ACL decisions for anonymous callers (the signed owner may do everything). An object ACL of
/// `default` inherits the bucket's. Reads through a symlink need read access to both the link and
/// the target (least privilege, oss-protocol.md 1.4).
enum AccessPolicy {
    /// The ACL in force for an object with `objectACL` in a bucket with `bucketACL`.
    static func effective(_ objectACL: ObjectACL?, bucket bucketACL: ObjectACL) -> ObjectACL {
        guard let objectACL, objectACL != .default else { return bucketACL }
        return objectACL
    }

    static func canRead(_ acl: ObjectACL) -> Bool { acl == .publicRead || acl == .publicReadWrite }

    static func canWrite(_ acl: ObjectACL) -> Bool { acl == .publicReadWrite }

    /// Throws AccessDenied unless the request may read an object with `objectACL`.
    static func requireRead(_ request: RequestContext, bucket: BucketRecord, objectACL: ObjectACL?) throws {
        if request.isAuthenticated { return }
        guard canRead(effective(objectACL, bucket: bucket.acl)) else { throw ServerError.accessDenied() }
    }

    /// Throws AccessDenied unless the request may write an object (existing one with `objectACL`).
    static func requireWrite(_ request: RequestContext, bucket: BucketRecord, objectACL: ObjectACL?) throws {
        if request.isAuthenticated { return }
        guard canWrite(effective(objectACL, bucket: bucket.acl)) else { throw ServerError.accessDenied() }
    }

    /// The operations an anonymous caller may reach at all (each then checked against the bucket's
    /// and object's ACL by its handler). Everything else, including any operation added later until
    /// someone lists it here, is the owner's alone: deny by default.
    static let anonymouslyReachable: Set<OSSOperation> = [
        .listObjects, .listObjectsV2, .putObject, .getObject, .headObject, .getObjectMeta, .deleteObject,
        .deleteMultipleObjects, .copyObject, .appendObject, .putSymlink, .getSymlink,
        .initiateMultipartUpload, .uploadPart, .uploadPartCopy, .completeMultipartUpload, .abortMultipartUpload,
        .listParts, .listMultipartUploads, .restoreObject,
    ]

    /// Operations only the owner may call: all but `anonymouslyReachable`.
    static func isOwnerOnly(_ operation: OSSOperation) -> Bool { !anonymouslyReachable.contains(operation) }
}
