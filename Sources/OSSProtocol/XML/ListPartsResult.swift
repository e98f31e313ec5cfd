import Foundation

/// `<ListPartsResult>`: the parts uploaded so far to a multipart upload.
public struct ListPartsResult: Sendable, Equatable {
    /// One uploaded part.
    public struct Part: Sendable, Equatable {
        public var number: Int
        public var lastModified: Date
        public var etag: String
        public var size: Int64
        public var crc64: UInt64?
        /// Creates a part record.
        public init(number: Int, lastModified: Date, etag: String, size: Int64, crc64: UInt64? = nil) {
            self.number = number; self.lastModified = lastModified; self.etag = etag; self.size = size; self.crc64 = crc64
        }
    }

    public var bucket: String
    public var key: String
    public var uploadId: String
    public var partNumberMarker: Int
    public var nextPartNumberMarker: Int?
    public var maxParts: Int
    public var isTruncated: Bool
    public var parts: [Part]

    /// Creates a result.
    public init(bucket: String, key: String, uploadId: String, partNumberMarker: Int = 0, nextPartNumberMarker: Int? = nil,
                maxParts: Int = 1000, isTruncated: Bool = false, parts: [Part] = []) {
        self.bucket = bucket; self.key = key; self.uploadId = uploadId; self.partNumberMarker = partNumberMarker
        self.nextPartNumberMarker = nextPartNumberMarker; self.maxParts = maxParts; self.isTruncated = isTruncated
        self.parts = parts
    }

    /// The document (`encodingType: "url"` encodes the key).
    public func xmlDocument(encodingType: String? = nil) -> Data {
        var w = XMLWriter()
        w.element("ListPartsResult") { w in
            w.element("EncodingType", ifPresent: encodingType)
            w.element("Bucket", bucket)
            w.element("Key", ListingEncoding.encoder(encodingType)(key))
            w.element("UploadId", uploadId)
            w.element("PartNumberMarker", String(partNumberMarker))
            w.element("NextPartNumberMarker", ifPresent: nextPartNumberMarker.map(String.init))
            w.element("MaxParts", String(maxParts))
            w.element("IsTruncated", isTruncated ? "true" : "false")
            for p in parts {
                w.element("Part") { w in
                    w.element("PartNumber", String(p.number))
                    w.element("LastModified", HTTPDate.iso8601(p.lastModified))
                    w.element("ETag", p.etag)
                    w.element("Size", String(p.size))
                    w.element("HashCrc64ecma", ifPresent: p.crc64.map { String($0) })
                }
            }
        }
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> ListPartsResult {
        let root = try XMLNode.parse(data)
        guard root.name == "ListPartsResult" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        let dec = ListingEncoding.decoder(root.string("EncodingType"))
        let parts = try root.children("Part").map { p -> Part in
            guard let n = p.int("PartNumber") else { throw XMLDocumentError.unexpected("Part without PartNumber") }
            return Part(number: n, lastModified: p.date("LastModified") ?? Date(timeIntervalSince1970: 0),
                        etag: p.string("ETag") ?? "", size: p.int64("Size") ?? 0,
                        crc64: p.string("HashCrc64ecma").flatMap { UInt64($0) })
        }
        return ListPartsResult(bucket: root.string("Bucket") ?? "", key: try dec(root.string("Key") ?? ""),
                               uploadId: root.string("UploadId") ?? "", partNumberMarker: root.int("PartNumberMarker") ?? 0,
                               nextPartNumberMarker: root.int("NextPartNumberMarker"), maxParts: root.int("MaxParts") ?? 1000,
                               isTruncated: root.bool("IsTruncated") ?? false, parts: parts)
    }
}
