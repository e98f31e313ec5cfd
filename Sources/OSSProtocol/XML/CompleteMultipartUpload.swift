import Foundation

/// The `<CompleteMultipartUpload>` request body: the parts, in ascending order.
public struct CompleteMultipartUpload: Sendable, Equatable {
    public var parts: [UploadedPart]

    /// Creates a request body.
    public init(parts: [UploadedPart]) { self.parts = parts }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("CompleteMultipartUpload") { w in
            for p in parts {
                w.element("Part") { w in
                    w.element("PartNumber", String(p.number))
                    w.element("ETag", p.etag)
                }
            }
        }
        return w.data
    }

    /// Decodes the document; throws for a part without a number or ETag (MalformedXML).
    public static func decode(_ data: Data) throws -> CompleteMultipartUpload {
        let root = try XMLNode.parse(data)
        guard root.name == "CompleteMultipartUpload" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        return CompleteMultipartUpload(parts: try root.children("Part").map { p in
            guard let n = p.int("PartNumber"), let e = p.string("ETag") else {
                throw XMLDocumentError.unexpected("Part without PartNumber or ETag")
            }
            return UploadedPart(number: n, etag: e.trimmingCharacters(in: .whitespaces))
        })
    }
}

/// The `<CompleteMultipartUploadResult>` answer.
public struct CompleteMultipartUploadResult: Sendable, Equatable {
    public var location: String
    public var bucket: String
    public var key: String
    public var etag: String

    /// Creates a result.
    public init(location: String, bucket: String, key: String, etag: String) {
        self.location = location; self.bucket = bucket; self.key = key; self.etag = etag
    }

    /// The document (`encodingType: "url"` encodes the key).
    public func xmlDocument(encodingType: String? = nil) -> Data {
        var w = XMLWriter()
        w.element("CompleteMultipartUploadResult") { w in
            w.element("EncodingType", ifPresent: encodingType)
            w.element("Location", location)
            w.element("Bucket", bucket)
            w.element("Key", ListingEncoding.encoder(encodingType)(key))
            w.element("ETag", etag)
        }
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> CompleteMultipartUploadResult {
        let root = try XMLNode.parse(data)
        guard root.name == "CompleteMultipartUploadResult" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        let dec = ListingEncoding.decoder(root.string("EncodingType"))
        return CompleteMultipartUploadResult(location: root.string("Location") ?? "", bucket: root.string("Bucket") ?? "",
                                             key: try dec(root.string("Key") ?? ""), etag: root.string("ETag") ?? "")
    }
}
