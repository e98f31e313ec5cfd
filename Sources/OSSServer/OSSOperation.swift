/// The OSS API operations this server recognises, named as in the OSS API reference; these names
/// are the keys of `GET /_ossfuse/stats`.
public enum OSSOperation: String, Sendable, CaseIterable {
    case listBuckets = "ListBuckets"
    case putBucket = "PutBucket"
    case deleteBucket = "DeleteBucket"
    case getBucketInfo = "GetBucketInfo"
    case getBucketLocation = "GetBucketLocation"
    case putBucketACL = "PutBucketACL"
    case getBucketACL = "GetBucketACL"
    case listObjects = "ListObjects"
    case listObjectsV2 = "ListObjectsV2"
    case putObject = "PutObject"
    case getObject = "GetObject"
    case headObject = "HeadObject"
    case getObjectMeta = "GetObjectMeta"
    case deleteObject = "DeleteObject"
    case deleteMultipleObjects = "DeleteMultipleObjects"
    case copyObject = "CopyObject"
    case appendObject = "AppendObject"
    case putSymlink = "PutSymlink"
    case getSymlink = "GetSymlink"
    case putObjectACL = "PutObjectACL"
    case getObjectACL = "GetObjectACL"
    case initiateMultipartUpload = "InitiateMultipartUpload"
    case uploadPart = "UploadPart"
    case uploadPartCopy = "UploadPartCopy"
    case completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload"
    case listParts = "ListParts"
    case listMultipartUploads = "ListMultipartUploads"
    /// Anything else (answered with 501 NotImplemented / 405).
    case unsupported = "Unsupported"

    /// True for operations that only read (anonymous access needs public-read or better).
    var isRead: Bool {
        switch self {
        case .getObject, .headObject, .getObjectMeta, .getSymlink, .listObjects, .listObjectsV2,
             .listParts, .listMultipartUploads:
            return true
        default:
            return false
        }
    }
}
