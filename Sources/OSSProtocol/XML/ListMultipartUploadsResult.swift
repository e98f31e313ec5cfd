import Foundation

/// The `<ListMultipartUploadsResult>` answer of ListMultipartUploads (oss-protocol.md 2.12).
/// (Added by the server helper.)
public struct ListMultipartUploadsResult: Sendable, Equatable {
    /// One in-progress upload.
    public struct Upload: Sendable, Equatable {
        public var key: String
        public var uploadId: String
        public var initiated: Date

        /// Creates an entry.
        public init(key: String, uploadId: String, initiated: Date) {
            self.key = key; self.uploadId = uploadId; self.initiated = initiated
        }
    }

    public var bucket: String
    public var prefix: String
    public var delimiter: String?
    public var keyMarker: String
    public var uploadIdMarker: String
    public var nextKeyMarker: String?
    public var nextUploadIdMarker: String?
    public var maxUploads: Int
    public var isTruncated: Bool
    public var uploads: [Upload]
    public var commonPrefixes: [String]

    /// Creates a result.
    public init(bucket: String, prefix: String = "", delimiter: String? = nil, keyMarker: String = "",
                uploadIdMarker: String = "", nextKeyMarker: String? = nil, nextUploadIdMarker: String? = nil,
                maxUploads: Int = 1000, isTruncated: Bool = false, uploads: [Upload] = [], commonPrefixes: [String] = []) {
        self.bucket = bucket; self.prefix = prefix; self.delimiter = delimiter; self.keyMarker = keyMarker
        self.uploadIdMarker = uploadIdMarker; self.nextKeyMarker = nextKeyMarker; self.nextUploadIdMarker = nextUploadIdMarker
        self.maxUploads = maxUploads; self.isTruncated = isTruncated; self.uploads = uploads; self.commonPrefixes = commonPrefixes
    }

    /// The document (`encodingType: "url"` encodes keys, prefixes, markers and the delimiter).
    public func xmlDocument(encodingType: String? = nil) -> Data {
        let enc = ListingEncoding.encoder(encodingType)
        var w = XMLWriter()
        w.element("ListMultipartUploadsResult") { w in
            w.element("Bucket", bucket)
            w.element("EncodingType", ifPresent: encodingType)
            w.element("KeyMarker", enc(keyMarker))
            w.element("UploadIdMarker", uploadIdMarker)
            w.element("NextKeyMarker", enc(nextKeyMarker ?? ""))
            w.element("NextUploadIdMarker", nextUploadIdMarker ?? "")
            w.element("Delimiter", enc(delimiter ?? ""))
            w.element("Prefix", enc(prefix))
            w.element("MaxUploads", String(maxUploads))
            w.element("IsTruncated", isTruncated ? "true" : "false")
            for u in uploads {
                w.element("Upload") { w in
                    w.element("Key", enc(u.key))
                    w.element("UploadId", u.uploadId)
                    w.element("Initiated", HTTPDate.iso8601(u.initiated))
                }
            }
            for p in commonPrefixes { w.element("CommonPrefixes") { $0.element("Prefix", enc(p)) } }
        }
        return w.data
    }
}
