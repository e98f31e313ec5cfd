import Foundation

/// ETags as OSS writes them (quoted, upper-case hex) and as clients may repeat them.
public enum ETag {
    /// Whether two ETags name the same version, quotes and case aside.
    public static func matches(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return normalized(a) == normalized(b)
    }

    /// The ETag without quotes, weak prefix (`W/`) or surrounding spaces, upper-cased.
    public static func normalized(_ etag: String) -> String {
        var e = etag.trimmingCharacters(in: .whitespaces)
        if e.hasPrefix("W/") { e = String(e.dropFirst(2)) }
        return e.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).uppercased()
    }
}
