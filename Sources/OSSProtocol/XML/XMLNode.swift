import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A tiny element tree, enough for OSS documents: elements with text and child elements
/// (attributes and namespaces ignored).
public final class XMLNode: @unchecked Sendable {  // built once by the parser, immutable afterwards
    /// Local element name (namespace prefix removed).
    public let name: String
    /// Concatenated character data directly inside the element.
    public fileprivate(set) var text: String = ""
    /// Child elements in document order.
    public fileprivate(set) var children: [XMLNode] = []

    init(name: String) { self.name = name }

    /// Adds `child` (for the parsers only).
    func appendChild(_ child: XMLNode) { children.append(child) }

    /// Sets the character data (for the parsers only).
    func setText(_ text: String) { self.text = text }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    /// All children named `name`.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// Text of the first child named `name`, nil when absent.
    public func string(_ name: String) -> String? { child(name)?.text }
    /// Integer text of child `name`.
    public func int(_ name: String) -> Int? { string(name).flatMap { Int($0.trimmingHTTPWhitespace()) } }
    /// 64-bit integer text of child `name`.
    public func int64(_ name: String) -> Int64? { string(name).flatMap { Int64($0.trimmingHTTPWhitespace()) } }
    /// `true`/`false` text of child `name` (case-insensitive).
    public func bool(_ name: String) -> Bool? {
        string(name).map { $0.trimmingHTTPWhitespace().lowercased() == "true" }
    }
    /// ISO-8601 text of child `name`.
    public func date(_ name: String) -> Date? { string(name).flatMap { HTTPDate.parseISO8601($0.trimmingHTTPWhitespace()) } }

    /// Parses a document as `parse` does, through the one-pass `XMLFastParser` when the document
    /// stays within what it handles (listing pages do), else through the full parser.
    public static func parseFast(_ data: Data) throws -> XMLNode {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XMLDocumentError.malformed("document is not valid UTF-8")
        }
        if let root = XMLFastParser.parse(data) { return root }
        return try parse(data)
    }

    /// Parses a document; throws `XMLDocumentError` when it is not well-formed XML.
    public static func parse(_ data: Data) throws -> XMLNode {
        // FoundationXML traps (SIGILL) on an element name that is not valid UTF-8, e.g. `<a><b\u{E1}e/></a>`
        // as raw bytes: refuse such documents before the parser sees them (OSS documents are UTF-8).
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XMLDocumentError.malformed("document is not valid UTF-8")
        }
        if let construct = unsupportedConstruct(Array(data)) { throw XMLDocumentError.malformed(construct) }
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root, builder.stack.isEmpty else {
            throw XMLDocumentError.malformed(parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }

    /// Constructs no OSS document uses and FoundationXML crashes on (strlen of NULL): a document
    /// type declaration (`<!ATTLIST`, `<!NOTATION`, unparsed entities; also entity bombs and external
    /// entities) and a processing instruction without data (`<?xml?>`, `<?pi?>`).
    private static func unsupportedConstruct(_ bytes: [UInt8]) -> String? {
        // One pass over the bytes (Foundation's generic `firstRange(of:)` on [UInt8] cost as much
        // as parsing a listing page).
        let doctype = Array("<!DOCTYPE".utf8)
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x3C else { i += 1; continue }   // "<"
            if bytes[i + 1] == 0x21, bytes[i...].starts(with: doctype) { return "document type declarations are not accepted" }
            guard bytes[i + 1] == 0x3F else { i += 1; continue }   // "<?"
            var j = i + 2
            while j < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x3F].contains(bytes[j]) { j += 1 }
            if j + 1 < bytes.count, bytes[j] == 0x3F, bytes[j + 1] == 0x3E { return "processing instruction without data" }
            i += 2
        }
        return nil
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var root: XMLNode?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLNode(name: local)
            if let parent = stack.last { parent.children.append(node) } else if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
        }
    }
}

/// A document that could not be decoded.
public enum XMLDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not well-formed XML.
    case malformed(String)
    /// Well-formed, but not the expected document (wrong root, missing element, bad value).
    case unexpected(String)

    public var description: String {
        switch self {
        case .malformed(let m): return "malformed XML: \(m)"
        case .unexpected(let m): return "unexpected XML document: \(m)"
        }
    }
}
