import Foundation

/// `<InitiateMultipartUploadResult>`: the upload id of a new multipart upload.
public struct InitiateMultipartUploadResult: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadId: String

    /// Creates a result.
    public init(bucket: String, key: String, uploadId: String) { self.bucket = bucket; self.key = key; self.uploadId = uploadId }

    /// The document (`encodingType: "url"` encodes the key).
    public func xmlDocument(encodingType: String? = nil) -> Data {
        var w = XMLWriter()
        w.element("InitiateMultipartUploadResult") { w in
            w.element("Bucket", bucket)
            w.element("Key", ListingEncoding.encoder(encodingType)(key))
            w.element("UploadId", uploadId)
            w.element("EncodingType", ifPresent: encodingType)
        }
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> InitiateMultipartUploadResult {
        let root = try XMLNode.parse(data)
        guard root.name == "InitiateMultipartUploadResult", let id = root.string("UploadId"), !id.isEmpty else {
            throw XMLDocumentError.unexpected("not an InitiateMultipartUploadResult with an UploadId")
        }
        let dec = ListingEncoding.decoder(root.string("EncodingType"))
        return InitiateMultipartUploadResult(bucket: root.string("Bucket") ?? "", key: try dec(root.string("Key") ?? ""), uploadId: id)
    }
}
