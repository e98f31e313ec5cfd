/// Object-key rules (oss-protocol.md 2.1): valid UTF-8, 1–1023 bytes, no leading `/` or `\`.
public enum ObjectName {
    /// Maximum key length in bytes.
    public static let maxBytes = 1023

    /// Why a key is not acceptable.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty, tooLong(Int), leadingSlash
        public var description: String {
            switch self {
            case .empty: return "object name is empty"
            case .tooLong(let n): return "object name is \(n) bytes, longer than \(ObjectName.maxBytes)"
            case .leadingSlash: return "object name starts with '/' or '\\'"
            }
        }
    }

    /// Returns the first rule `key` breaks, or nil when it is a valid object name.
    /// (A Swift `String` is always valid UTF-8; byte input is checked by `PercentEncoding.decode`.)
    public static func problem(_ key: String) -> Problem? {
        let n = key.utf8.count
        if n == 0 { return .empty }
        if n > maxBytes { return .tooLong(n) }
        if let f = key.utf8.first, f == 0x2F || f == 0x5C { return .leadingSlash }
        return nil
    }

    /// Throws `Problem` when `key` is not a valid object name.
    public static func validate(_ key: String) throws {
        if let p = problem(key) { throw p }
    }

    /// True when `key` is a valid object name.
    public static func isValid(_ key: String) -> Bool { problem(key) == nil }
}
