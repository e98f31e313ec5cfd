import Foundation

extension ObjectSummary {
    /// Writes a `<Contents>` element; `encode` applies the listing's `encoding-type`.
    func writeContents(_ w: inout XMLWriter, encode: (String) -> String) {
        w.element("Contents") { w in
            w.element("Key", encode(key))
            w.element("LastModified", HTTPDate.iso8601(lastModified))
            w.element("ETag", etag)
            w.element("Type", type.rawValue)
            w.element("Size", String(size))
            w.element("StorageClass", storageClass)
        }
    }

    /// Reads a `<Contents>` element; `decode` undoes the listing's `encoding-type`.
    static func read(_ node: XMLNode, decode: (String) throws -> String) throws -> ObjectSummary {
        guard let rawKey = node.string("Key") else { throw XMLDocumentError.unexpected("Contents without Key") }
        guard let modified = node.date("LastModified") else {
            throw XMLDocumentError.unexpected("Contents \(rawKey) without a valid LastModified")
        }
        let type = node.string("Type").flatMap(ObjectType.init(rawValue:)) ?? .normal
        return ObjectSummary(key: try decode(rawKey), lastModified: modified, etag: node.string("ETag") ?? "",
                             size: node.int64("Size") ?? 0, type: type, storageClass: node.string("StorageClass") ?? "Standard")
    }
}

/// The `encoding-type` of listing answers: `url` percent-encodes names so XML can carry any byte.
public enum ListingEncoding {
    /// Encoder for an answer with `encodingType` (`"url"` or nil).
    public static func encoder(_ encodingType: String?) -> (String) -> String {
        encodingType == "url" ? { PercentEncoding.encodeQuery($0) } : { $0 }
    }

    /// Decoder for an answer whose `<EncodingType>` is `encodingType`.
    public static func decoder(_ encodingType: String?) -> (String) throws -> String {
        guard encodingType == "url" else { return { $0 } }
        return { s in
            guard let d = PercentEncoding.decode(s) else { throw XMLDocumentError.unexpected("bad URL encoding in \(s)") }
            return d
        }
    }

    /// The `<ListBucketResult>` root of a ListObjects answer (V1 or V2) and the name decoder its
    /// `<EncodingType>` asks for.
    static func listBucketResult(_ data: Data) throws -> (root: XMLNode, decode: (String) throws -> String) {
        let root = try XMLNode.parseFast(data)
        guard root.name == "ListBucketResult" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        return (root, decoder(root.string("EncodingType")))
    }

    /// The `<Contents>` and `<CommonPrefixes>` entries that end every ListObjects document.
    static func writeEntries(_ w: inout XMLWriter, contents: [ObjectSummary], commonPrefixes: [String],
                             encode: (String) -> String) {
        for c in contents { c.writeContents(&w, encode: encode) }
        for p in commonPrefixes { w.element("CommonPrefixes") { $0.element("Prefix", encode(p)) } }
    }

    /// The entries of a ListObjects document, names decoded.
    static func entries(_ root: XMLNode, decode: (String) throws -> String) throws
        -> (contents: [ObjectSummary], commonPrefixes: [String]) {
        (try root.children("Contents").map { try ObjectSummary.read($0, decode: decode) },
         try root.children("CommonPrefixes").compactMap { try $0.string("Prefix").map(decode) })
    }
}
