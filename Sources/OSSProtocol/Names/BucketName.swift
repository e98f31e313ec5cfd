/// Bucket-name rules: 3–63 characters of `[a-z0-9-]`, not starting or ending with `-`.
public enum BucketName {
    /// True when `name` is a valid bucket name.
    public static func isValid(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard (3...63).contains(b.count), b.first != 0x2D, b.last != 0x2D else { return false }
        return b.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
