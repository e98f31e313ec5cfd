import Foundation

/// Builds an XML document by appending escaped text (OSS documents are small and flat).
public struct XMLWriter: Sendable {
    private var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// Starts a document with the XML declaration.
    public init() {}

    /// Escapes `&`, `<`, `>`, `"`, `'`, and tab, line feed and carriage return as character
    /// references (a parser would otherwise normalise them: keys may hold them).
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
            case "\n": r += "&#10;"
            case "\t": r += "&#9;"
            default: r.unicodeScalars.append(c)
            }
        }
        return r
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
