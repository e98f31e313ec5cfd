import Foundation

/// The kind of an OSS object, as in `x-oss-object-type` and a listing's `<Type>`.
public enum ObjectType: String, Sendable, Equatable, CaseIterable {
    case normal = "Normal"
    case appendable = "Appendable"
    case multipart = "Multipart"
    case symlink = "Symlink"
}

/// An object or link ACL (`x-oss-object-acl`); `default` inherits the bucket's.
public enum ObjectACL: String, Sendable, Equatable, CaseIterable {
    case `default` = "default"
    case `private` = "private"
    case publicRead = "public-read"
    case publicReadWrite = "public-read-write"
}

/// One `<Contents>` entry of a listing.
public struct ObjectSummary: Sendable, Equatable {
    public var key: String
    public var lastModified: Date
    public var etag: String
    public var size: Int64
    public var type: ObjectType
    public var storageClass: String

    public init(key: String, lastModified: Date, etag: String, size: Int64,
                type: ObjectType = .normal, storageClass: String = "Standard") {
        self.key = key; self.lastModified = lastModified; self.etag = etag
        self.size = size; self.type = type; self.storageClass = storageClass
    }
}

/// One page of ListObjectsV2 (keys already URL-decoded when `encoding-type=url` was used).
public struct ListObjectsPage: Sendable, Equatable {
    public var bucket: String
    public var prefix: String
    public var delimiter: String?
    public var startAfter: String?
    public var continuationToken: String?
    public var maxKeys: Int
    public var isTruncated: Bool
    public var nextContinuationToken: String?
    public var contents: [ObjectSummary]
    public var commonPrefixes: [String]

    public init(bucket: String, prefix: String = "", delimiter: String? = nil, startAfter: String? = nil,
                continuationToken: String? = nil, maxKeys: Int = 1000, isTruncated: Bool = false,
                nextContinuationToken: String? = nil, contents: [ObjectSummary] = [], commonPrefixes: [String] = []) {
        self.bucket = bucket; self.prefix = prefix; self.delimiter = delimiter; self.startAfter = startAfter
        self.continuationToken = continuationToken; self.maxKeys = maxKeys; self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken; self.contents = contents
        self.commonPrefixes = commonPrefixes
    }
}

/// What HeadObject (or the headers of GetObject) tells about an object.
/// Through a symlink, length/etag are the target's and `type` is `.symlink` (oss-protocol.md 1.4).
public struct ObjectMetadata: Sendable, Equatable {
    public var contentLength: Int64
    public var etag: String
    public var lastModified: Date
    public var type: ObjectType
    public var contentType: String?
    public var storageClass: String
    public var crc64: UInt64?
    /// `x-oss-meta-*` without the prefix, names lower-cased.
    public var userMetadata: [String: String]
    public var nextAppendPosition: Int64?
    public var requestId: String?
    /// `x-oss-restore` of an archive-class object (of a link's target through a link).
    public var restore: RestoreStatus = .frozen
    /// Cache-Control, Content-Disposition, ... as stored (`ContentHeaders.names`).
    public var contentHeaders: [String: String] = [:]

    public init(contentLength: Int64, etag: String, lastModified: Date, type: ObjectType = .normal,
                contentType: String? = nil, storageClass: String = "Standard", crc64: UInt64? = nil,
                userMetadata: [String: String] = [:], nextAppendPosition: Int64? = nil, requestId: String? = nil) {
        self.contentLength = contentLength; self.etag = etag; self.lastModified = lastModified; self.type = type
        self.contentType = contentType; self.storageClass = storageClass; self.crc64 = crc64
        self.userMetadata = userMetadata; self.nextAppendPosition = nextAppendPosition; self.requestId = requestId
    }
}

/// GetSymlink's answer: the decoded target key and the link's own facts.
public struct SymlinkInfo: Sendable, Equatable {
    public var target: String
    public var etag: String
    public var lastModified: Date
    public var userMetadata: [String: String]

    public init(target: String, etag: String, lastModified: Date, userMetadata: [String: String] = [:]) {
        self.target = target; self.etag = etag; self.lastModified = lastModified; self.userMetadata = userMetadata
    }
}

/// An OSS error answer: HTTP status plus the `<Error>` document (or the decoded `x-oss-err` of a HEAD).
public struct OSSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var httpStatus: Int
    public var code: String
    public var message: String
    public var requestId: String
    public var hostId: String
    public var ec: String?
    /// Per-error extras such as `Key`, `BucketName`, `StringToSign`.
    public var extras: [String: String]

    public init(httpStatus: Int, code: String, message: String, requestId: String = "", hostId: String = "",
                ec: String? = nil, extras: [String: String] = [:]) {
        self.httpStatus = httpStatus; self.code = code; self.message = message; self.requestId = requestId
        self.hostId = hostId; self.ec = ec; self.extras = extras
    }

    public var description: String {
        "\(code) (HTTP \(httpStatus)): \(message)" + (requestId.isEmpty ? "" : " [request id \(requestId)]")
    }
}
