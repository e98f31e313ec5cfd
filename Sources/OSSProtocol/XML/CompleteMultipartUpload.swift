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
