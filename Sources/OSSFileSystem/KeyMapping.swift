import Foundation

/// Turns mount-relative paths ("a/b", "" for the root) into object keys and back.
///
/// A path `/a/b` maps to the key `PREFIX + "a/b"`; a directory `d` is the key prefix `PREFIX + "d/"`,
/// with or without a zero-byte marker object under exactly that key.
struct KeyMapping: Sendable {
    /// Mount prefix, "" or ending with "/".
    let prefix: String

    init(prefix: String) {
        if prefix.isEmpty || prefix.hasSuffix("/") { self.prefix = prefix } else { self.prefix = prefix + "/" }
    }

    /// The object key of a file or link at `path`.
    func objectKey(_ path: String) -> String { prefix + path }

    /// The key prefix of the directory at `path` ("PREFIX/" for the root).
    func directoryPrefix(_ path: String) -> String { path.isEmpty ? prefix : prefix + path + "/" }

    /// The path of a child named `name` in the directory `parent`.
    static func child(_ parent: String, _ name: String) -> String { parent.isEmpty ? name : parent + "/" + name }

    /// The directory part of a path ("" for a top-level name).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(decoding: path.utf8[..<slash], as: UTF8.self)
    }

    /// The last component of a path.
    static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(decoding: path.utf8[path.utf8.index(after: slash)...], as: UTF8.self)
    }

    /// `path` split at every "/" byte. (Splitting a String at the Character "/" misses a "/" that a
    /// combining mark follows: "a/\u{301}b" is three Characters, "a", "/\u{301}", "b".)
    static func components(_ path: String, omittingEmpty: Bool) -> [Substring] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: omittingEmpty).map { Substring($0) }
    }

    /// True when `name` can be one POSIX path component: not empty, not `.`/`..`, no `/` or NUL,
    /// at most 255 bytes.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.utf8.count <= 255
            && !name.utf8.contains(UInt8(ascii: "/")) && !name.utf8.contains(0)
    }

    /// True when `path` starts with the directory `dir` (or is it).
    static func isWithin(_ path: String, directory dir: String) -> Bool {
        dir.isEmpty || path.utf8.elementsEqual(dir.utf8) || path.utf8.starts(with: (dir + "/").utf8)
    }

    /// `path` with its leading `from` directory replaced by `to`.
    static func rebase(_ path: String, from: String, to: String) -> String {
        if path.utf8.elementsEqual(from.utf8) { return to }
        let rest = String(decoding: path.utf8.dropFirst(from.isEmpty ? 0 : from.utf8.count + 1), as: UTF8.self)
        return child(to, rest)
    }
}

/// Byte-order comparison of keys (OSS lists in UTF-8 binary order; Swift's `<` on String does not).
func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

extension String {
    /// Byte-wise prefix test (`hasPrefix` compares characters, which folds canonically equal forms).
    func hasBytePrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    /// The string without its first `prefix.utf8.count` bytes.
    func dropBytePrefix(_ prefix: String) -> String {
        String(decoding: utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }
}
