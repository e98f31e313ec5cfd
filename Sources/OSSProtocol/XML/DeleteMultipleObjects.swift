import Foundation

/// The `<Delete>` request body of DeleteMultipleObjects (keys are sent as XML text; 1–1000 keys).
public struct DeleteMultipleObjects: Sendable, Equatable {
    public var quiet: Bool
    public var keys: [String]

    /// Creates a request body.
    public init(keys: [String], quiet: Bool = false) { self.keys = keys; self.quiet = quiet }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("Delete") { w in
            w.element("Quiet", quiet ? "true" : "false")
            for k in keys { w.element("Object") { $0.element("Key", keepingWhitespace: k) } }
        }
        return w.data
    }

    /// Decodes the document; `Quiet` is optional (false).
    public static func decode(_ data: Data) throws -> DeleteMultipleObjects {
        let root = try XMLNode.parse(data)
        guard root.name == "Delete" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        let keys = try root.children("Object").map { o -> String in
            guard let k = o.string("Key") else { throw XMLDocumentError.unexpected("Object without Key") }
            return k
        }
        return DeleteMultipleObjects(keys: keys, quiet: root.bool("Quiet") ?? false)
    }
}
