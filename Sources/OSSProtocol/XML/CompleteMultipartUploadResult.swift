import Foundation

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
