import Foundation

/// `<CopyObjectResult>`: the new object's ETag and time.
public struct CopyObjectResult: Sendable, Equatable {
    public var etag: String
    public var lastModified: Date

    /// Creates a result.
    public init(etag: String, lastModified: Date) { self.etag = etag; self.lastModified = lastModified }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("CopyObjectResult") { w in
            w.element("ETag", etag)
            w.element("LastModified", HTTPDate.iso8601(lastModified))
        }
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> CopyObjectResult {
        let root = try XMLNode.parse(data)
        guard root.name == "CopyObjectResult" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        return CopyObjectResult(etag: root.string("ETag") ?? "", lastModified: root.date("LastModified") ?? Date(timeIntervalSince1970: 0))
    }
}
