import NIOHTTP1
import OSSProtocol

/// Maps method, bucket, key, query flags and headers to an OSS operation (sub-resources are
/// recognised in any order, as `k` or `k=`). A request that names a sub-resource its operation
/// does not take (`GET /?policy`, `PUT /key?tagging`) is `.unsupported`, never the plain operation
/// beside it: OSS answers those with APIs this server lacks, and answering a listing or an overwrite
/// instead would be wrong, and open to anonymous callers where the plain operation is.
enum Router {
    static func operation(for request: RequestContext) -> OSSOperation {
        let operation = plainOperation(for: request)
        let taken = selectors[operation] ?? []
        for item in request.query where SubResources.contains(item.name) && !parameters(item.name) && !taken.contains(item.name) {
            return .unsupported
        }
        return operation
    }

    /// The sub-resources that select each operation (those it takes; any other present makes the
    /// request unsupported).
    static let selectors: [OSSOperation: Set<String>] = [
        .putBucketACL: ["acl"], .getBucketACL: ["acl"], .getBucketLocation: ["location"],
        .getBucketInfo: ["bucketInfo"], .listMultipartUploads: ["uploads"], .deleteMultipleObjects: ["delete"],
        .listObjectsV2: ["continuation-token"],
        .putSymlink: ["symlink"], .getSymlink: ["symlink"], .putObjectACL: ["acl"], .getObjectACL: ["acl"],
        .uploadPart: ["partNumber", "uploadId"], .uploadPartCopy: ["partNumber", "uploadId"],
        .listParts: ["uploadId"], .abortMultipartUpload: ["uploadId"], .completeMultipartUpload: ["uploadId"],
        .initiateMultipartUpload: ["uploads", "sequential"], .appendObject: ["append", "position"],
        .getObjectMeta: ["objectMeta"], .restoreObject: ["restore"],
    ]

    /// Signed query names that are parameters of any request rather than sub-resources naming an
    /// API: response header overrides, presigned-URL fields, the STS token, versionId (this server
    /// has no versioning; a version-less bucket answers the current object, as OSS does for "null").
    static func parameters(_ name: String) -> Bool {
        name.hasPrefix("response-") || name.hasPrefix("x-oss-") || name == "security-token" || name == "versionId"
            || name == "callback" || name == "callback-var"
    }

    private static func plainOperation(for request: RequestContext) -> OSSOperation {
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
