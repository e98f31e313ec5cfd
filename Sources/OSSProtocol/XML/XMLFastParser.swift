import Foundation

/// A one-pass parser over the UTF-8 bytes of the documents OSS sends most (listing pages), about
/// ten times cheaper than FoundationXML's delegate callbacks. It builds the same `XMLNode` tree for
/// the XML subset OSS uses: an XML declaration, elements (attributes skipped, namespace prefixes
/// removed), character data with the five predefined entities and character references, CDATA
/// sections and comments. On anything else (a document type declaration, another processing
/// instruction, a character XML does not allow, a malformed document) it returns nil and the
/// caller uses the full parser, so errors stay those of `XMLNode.parse`.
enum XMLFastParser {
    static func parse(_ data: Data) -> XMLNode? {
        data.withUnsafeBytes { raw in parse(raw.bindMemory(to: UInt8.self)) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> XMLNode? {
        let n = b.count
        var i = 0
        // Character data of all open elements in one buffer: each element's starts where it opened
        // and is cut off when it closes (a child's text is appended after its parent's so far).
        var stack: [(node: XMLNode, qname: Range<Int>, text: Int)] = []
        var text: [UInt8] = []
        text.reserveCapacity(256)
        var root: XMLNode?
        // A UTF-8 byte order mark, then an optional XML declaration.
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        if n - i >= 6, b[i] == 0x3C, b[i + 1] == 0x3F, b[i + 2] == 0x78, b[i + 3] == 0x6D, b[i + 4] == 0x6C, isSpace(b[i + 5]) {
            guard let end = find(b, [0x3F, 0x3E], from: i + 6) else { return nil }   // "?>"
            i = end + 2
        }
        while i < n {
            let c = b[i]
            if c == 0x3C {   // "<"
                guard i + 1 < n else { return nil }
                let d = b[i + 1]
                if d == 0x2F {   // "</name>"
                    var j = i + 2
                    let start = j
                    while j < n, b[j] != 0x3E, !isSpace(b[j]) { j += 1 }
                    let qname = b[start..<j]
                    while j < n, isSpace(b[j]) { j += 1 }
                    guard j < n, b[j] == 0x3E, let top = stack.popLast(), b[top.qname].elementsEqual(qname) else { return nil }
                    if text.count > top.text {
                        top.node.setText(String(decoding: text[top.text...], as: UTF8.self))
                        text.removeSubrange(top.text...)
                    }
                    i = j + 1
                } else if d == 0x21 {   // "<!"
                    if starts(b, at: i, with: "<!--") {
                        guard let end = find(b, [0x2D, 0x2D, 0x3E], from: i + 4) else { return nil }
                        i = end + 3
                    } else if starts(b, at: i, with: "<![CDATA[") {
                        guard !stack.isEmpty, let end = find(b, [0x5D, 0x5D, 0x3E], from: i + 9) else { return nil }
                        guard appendText(b, i + 9, end, to: &text) else { return nil }
                        i = end + 3
                    } else {
                        return nil   // DOCTYPE and other declarations: the full parser decides
                    }
                } else if d == 0x3F {
                    return nil   // a processing instruction past the declaration
                } else {   // "<name attributes>" or "<name/>"
                    var j = i + 1
                    let start = j
                    while j < n, b[j] != 0x3E, b[j] != 0x2F, !isSpace(b[j]) { j += 1 }
                    guard j > start else { return nil }
                    let qname = b[start..<j]
                    // Skip attributes, honouring quotes.
                    var quote: UInt8 = 0
                    while j < n {
                        let e = b[j]
                        if quote != 0 { if e == quote { quote = 0 } } else if e == 0x22 || e == 0x27 { quote = e } else if e == 0x3E { break }
                        j += 1
                    }
                    guard j < n else { return nil }
                    let empty = b[j - 1] == 0x2F && j - 1 >= start + qname.count
                    var local = qname
                    if let colon = qname.lastIndex(of: 0x3A) { local = qname[(colon + 1)...] }
                    let node = XMLNode(name: String(decoding: local, as: UTF8.self))
                    if let parent = stack.last { parent.node.appendChild(node) } else {
                        guard root == nil else { return nil }
                        root = node
                    }
                    if !empty { stack.append((node, qname.startIndex..<qname.endIndex, text.count)) }
                    i = j + 1
                }
            } else {
                // Character data up to the next "<".
                var j = i
                while j < n, b[j] != 0x3C { j += 1 }
                if stack.isEmpty {
                    for k in i..<j where !isSpace(b[k]) { return nil }
                } else {
                    guard appendText(b, i, j, to: &text, entities: true) else { return nil }
                }
                i = j
            }
        }
        guard stack.isEmpty, let root else { return nil }
        return root
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    private static func starts(_ b: UnsafeBufferPointer<UInt8>, at i: Int, with s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard b.count - i >= count else { return false }
        let p = s.utf8Start
        for k in 0..<count where b[i + k] != p[k] { return false }
        return true
    }

    private static func find(_ b: UnsafeBufferPointer<UInt8>, _ pattern: [UInt8], from: Int) -> Int? {
        var i = from
        while i + pattern.count <= b.count {
            if b[i] == pattern[0] {
                var k = 1
                while k < pattern.count, b[i + k] == pattern[k] { k += 1 }
                if k == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Appends b[from..<to] to `text`: line ends normalised to LF as XML requires, entities and
    /// character references decoded when `entities`; false on anything XML does not allow.
    private static func appendText(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, to text: inout [UInt8],
                                   entities: Bool = false) -> Bool {
        var i = from
        while i < to {
            let c = b[i]
            if c == 0x26 && entities {   // "&"
                var j = i + 1
                while j < to, b[j] != 0x3B, j - i < 12 { j += 1 }
                guard j < to, b[j] == 0x3B else { return false }
                let name = Array(b[(i + 1)..<j])
                switch name {
                case [0x6C, 0x74]: text.append(0x3C)                    // lt
                case [0x67, 0x74]: text.append(0x3E)                    // gt
                case [0x61, 0x6D, 0x70]: text.append(0x26)              // amp
                case [0x71, 0x75, 0x6F, 0x74]: text.append(0x22)        // quot
                case [0x61, 0x70, 0x6F, 0x73]: text.append(0x27)        // apos
                default:
                    guard name.first == 0x23, let scalar = characterReference(name[1...]) else { return false }
                    text.append(contentsOf: String(Character(scalar)).utf8)
                }
                i = j + 1
                continue
            }
            if c == 0x0D {
                text.append(0x0A)
                if i + 1 < to, b[i + 1] == 0x0A { i += 1 }
            } else {
                guard c >= 0x20 || c == 0x09 || c == 0x0A else { return false }
                if entities && c == 0x3E && i >= from + 2 && b[i - 1] == 0x5D && b[i - 2] == 0x5D { return false }  // "]]>"
                text.append(c)
            }
            i += 1
        }
        return true
    }

    /// `#123` or `#x7B` (after the "#") as a scalar XML allows.
    private static func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var radix = 10
        var body = digits
        if body.first == 0x78 { radix = 16; body = body.dropFirst() }
        guard !body.isEmpty, let value = UInt32(String(decoding: body, as: UTF8.self), radix: radix),
              let scalar = Unicode.Scalar(value) else { return nil }
        let v = scalar.value
        guard v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                || (0x10000...0x10FFFF).contains(v) else { return nil }
        return scalar
    }
}
