import NIOHTTP1

/// Maps method, bucket, key, query flags and headers to an OSS operation (sub-resources are
/// recognised in any order, as `k` or `k=`).
enum Router {
    static func operation(for request: RequestContext) -> OSSOperation {
        let method = request.method
        guard request.bucket != nil else {
            return method == .GET ? .listBuckets : .unsupported
        }
        guard request.key != nil else { return bucketOperation(method, request) }
        return objectOperation(method, request)
    }

    private static func bucketOperation(_ method: HTTPMethod, _ r: RequestContext) -> OSSOperation {
        switch method {
        case .PUT: return r.has("acl") ? .putBucketACL : .putBucket
        case .DELETE: return .deleteBucket
        case .POST: return r.has("delete") ? .deleteMultipleObjects : .unsupported
        case .HEAD: return .getBucketInfo
        case .GET:
            if r.has("acl") { return .getBucketACL }
            if r.has("location") { return .getBucketLocation }
            if r.has("bucketInfo") { return .getBucketInfo }
            if r.has("uploads") { return .listMultipartUploads }
            if r.queryValue("list-type") == "2" { return .listObjectsV2 }
            return .listObjects
        default: return .unsupported
        }
    }

    private static func objectOperation(_ method: HTTPMethod, _ r: RequestContext) -> OSSOperation {
        switch method {
        case .PUT:
            if r.has("symlink") { return .putSymlink }
            if r.has("acl") { return .putObjectACL }
            if r.has("partNumber") && r.has("uploadId") {
                return r.header("x-oss-copy-source") != nil ? .uploadPartCopy : .uploadPart
            }
            if r.header("x-oss-copy-source") != nil { return .copyObject }
            return .putObject
        case .GET:
            if r.has("symlink") { return .getSymlink }
            if r.has("acl") { return .getObjectACL }
            if r.has("uploadId") { return .listParts }
            if r.has("objectMeta") { return .getObjectMeta }
            return .getObject
        case .HEAD:
            return r.has("objectMeta") ? .getObjectMeta : .headObject
        case .DELETE:
            return r.has("uploadId") ? .abortMultipartUpload : .deleteObject
        case .POST:
            if r.has("uploads") { return .initiateMultipartUpload }
            if r.has("uploadId") { return .completeMultipartUpload }
            if r.has("append") { return .appendObject }
            if r.has("restore") { return .restoreObject }
            return .unsupported
        default:
            return .unsupported
        }
    }
}
