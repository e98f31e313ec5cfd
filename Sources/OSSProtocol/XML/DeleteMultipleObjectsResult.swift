import Foundation

/// The `<DeleteResult>` answer: the keys reported deleted (all of them unless quiet).
public struct DeleteMultipleObjectsResult: Sendable, Equatable {
    public var deleted: [String]

    /// Creates a result.
    public init(deleted: [String]) { self.deleted = deleted }

    /// The document (`encodingType: "url"` encodes the keys).
    public func xmlDocument(encodingType: String? = nil) -> Data {
        let enc = ListingEncoding.encoder(encodingType)
        var w = XMLWriter()
        w.element("DeleteResult") { w in
            w.element("EncodingType", ifPresent: encodingType)
            for k in deleted { w.element("Deleted") { $0.element("Key", enc(k)) } }
        }
        return w.data
    }

    /// Decodes the document; an empty body (quiet mode, all deleted) is an empty result.
    public static func decode(_ data: Data) throws -> DeleteMultipleObjectsResult {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return DeleteMultipleObjectsResult(deleted: []) }
        let root = try XMLNode.parse(data)
        guard root.name == "DeleteResult" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        let dec = ListingEncoding.decoder(root.string("EncodingType"))
        return DeleteMultipleObjectsResult(deleted: try root.children("Deleted").compactMap { try $0.string("Key").map(dec) })
    }
}
