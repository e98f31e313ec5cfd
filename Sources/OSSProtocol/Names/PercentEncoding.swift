import Foundation

/// Percent-encoding as OSS clients and servers use it (byte-wise over UTF-8, upper-case hex).
public enum PercentEncoding {
    /// RFC 3986 unreserved: `A-Z a-z 0-9 - _ . ~`.
    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x7E
    }

    /// Encodes every byte outside the unreserved set (and outside `keep`).
    public static func encode(_ s: String, keeping keep: Set<UInt8> = []) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8](); out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isUnreserved(b) || keep.contains(b) { out.append(b) } else {
                out.append(0x25); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// URI path encoding: unreserved and `/` kept (object keys in URLs, V4 CanonicalURI).
    public static func encodePath(_ s: String) -> String { encode(s, keeping: [0x2F]) }

    /// Query component encoding: only unreserved kept (`/` → `%2F`, space → `%20`, `+` → `%2B`).
    public static func encodeQuery(_ s: String) -> String { encode(s) }

    /// Decodes `%XX` sequences only (`+` stays `+`). Returns nil for a malformed escape or bytes that
    /// are not UTF-8.
    public static func decode(_ s: String) -> String? {
        guard s.utf8.contains(0x25) else { return s }
        var out = [UInt8](); out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b != 0x25 { out.append(b); continue }
            guard it.count >= 2, let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1])
            else { return nil }
            out.append(hi << 4 | lo)
            it = it.dropFirst(2)
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Decodes a query component: like `decode`, and `+` also means space when `plusAsSpace`.
    public static func decodeQuery(_ s: String, plusAsSpace: Bool = false) -> String? {
        decode(plusAsSpace ? s.replacingOccurrences(of: "+", with: " ") : s)
    }

    /// Splits a raw query string (`a=1&b&c=`) into decoded items, in order. A name with no `=` gets an
    /// empty value. Malformed escapes are kept literally.
    public static func parseQuery(_ raw: String) -> [(name: String, value: String)] {
        guard !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let p = String(part)
            if let eq = p.firstIndex(of: "=") {
                let n = String(p[..<eq]), v = String(p[p.index(after: eq)...])
                return (decode(n) ?? n, decode(v) ?? v)
            }
            return (decode(p) ?? p, "")
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
