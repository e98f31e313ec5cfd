import Foundation

/// The `<CopyPartResult>` answer of UploadPartCopy (oss-protocol.md 2.12). (Added by the server helper.)
public struct CopyPartResult: Sendable, Equatable {
    public var etag: String
    public var lastModified: Date

    /// Creates a result.
    public init(etag: String, lastModified: Date) { self.etag = etag; self.lastModified = lastModified }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("CopyPartResult") { w in
            w.element("LastModified", HTTPDate.iso8601(lastModified))
            w.element("ETag", etag)
        }
        return w.data
    }
}
