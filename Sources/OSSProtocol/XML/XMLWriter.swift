import Foundation

/// Builds an XML document by appending escaped text (OSS documents are small and flat).
public struct XMLWriter: Sendable {
    private var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// Starts a document with the XML declaration.
    public init() {}

    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escape(_ s: String) -> String {
        var r = ""
        r.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            case "'": r += "&apos;"
            case "\r": r += "&#13;"
            default: r.unicodeScalars.append(c)
            }
        }
        return r
    }

    /// `escape`, plus tab and line feed as character references, so that a parser keeps them as they
    /// are (object keys may hold them; a DeleteMultipleObjects body must name them exactly).
    public static func escapeKeepingWhitespace(_ s: String) -> String {
        escape(s).replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\t", with: "&#9;")
    }

    /// `<name>text</name>` with `escapeKeepingWhitespace`.
    public mutating func element(_ name: String, keepingWhitespace text: String) {
        out += "<" + name + ">" + XMLWriter.escapeKeepingWhitespace(text) + "</" + name + ">"
    }

    /// Opens `<name>`.
    public mutating func open(_ name: String) { out += "<" + name + ">" }
    /// Closes `</name>`.
    public mutating func close(_ name: String) { out += "</" + name + ">" }
    /// `<name>escaped text</name>`.
    public mutating func element(_ name: String, _ text: String) { out += "<" + name + ">" + XMLWriter.escape(text) + "</" + name + ">" }
    /// `<name>text</name>` when `text` is non-nil.
    public mutating func element(_ name: String, ifPresent text: String?) { if let text { element(name, text) } }
    /// `<name>…</name>` around what `body` writes.
    public mutating func element(_ name: String, _ body: (inout XMLWriter) -> Void) {
        open(name); body(&self); close(name)
    }

    /// The document text.
    public var string: String { out }
    /// The document as UTF-8 bytes.
    public var data: Data { Data(out.utf8) }
}
