import Foundation

/// How one POSIX link text is stored in the bucket (design.md, "Symbolic links").
public enum SymlinkRepresentation: Sendable, Equatable {
    /// A native OSS symlink to `targetKey`; `keptText` is the text as written, stored percent-encoded
    /// in the link's user metadata `ossfuse-target` (nil when it is too long to keep and equals the
    /// relative form readlink computes from the key anyway).
    case native(targetKey: String, keptText: String?)
    /// A legacy (ossfs 1.x / s3fs) link: a regular object with `S_IFLNK` in `x-oss-meta-mode` whose body
    /// is `text`. Used only where no key can name the target (it leaves the mount, or is the bucket root).
    case legacy(text: String)
}

/// The symlink rules in one place: POSIX link text <-> OSS target key. Pure; no I/O.
///
/// Paths here are mount-relative ("dir/L"); `prefix` is the mount's key prefix ("" or "p/"), and
/// `mountPoint` the absolute mount path used to recognise absolute texts pointing into the mount
/// ("" = unknown, then every absolute text leaves the mount).
public enum SymlinkTarget {
    /// Longest OSS key, in bytes.
    public static let maxKeyBytes = 1023
    /// Longest link text (PATH_MAX - 1), in bytes.
    public static let maxTextBytes = 4095
    /// Longest percent-encoded text kept in user metadata (the whole metadata must stay under 8 KB).
    public static let maxKeptBytes = 6144
    /// User metadata name (without `x-oss-meta-`) holding the text as written.
    public static let keptTextMetadata = "ossfuse-target"

    /// Decides how `text`, given to `ln -s` for the link at `linkPath`, is stored.
    /// Throws ENOENT for an empty text and ENAMETOOLONG for one that cannot be stored.
    public static func representation(text: String, linkPath: String, prefix: String,
                                      mountPoint: String) throws(FSError) -> SymlinkRepresentation {
        if text.isEmpty { throw FSError(ENOENT) }
        if text.utf8.count > maxTextBytes || text.utf8.contains(0) { throw FSError(ENAMETOOLONG) }
        // No key names the bucket root, and OSS refuses keys starting with "\": keep those as text.
        guard let resolved = resolve(text: text, linkPath: linkPath, mountPoint: mountPoint), !resolved.isEmpty,
              !(prefix + resolved).hasPrefix("\\") else {
            return .legacy(text: text)
        }
        let key = prefix + resolved
        if key.utf8.count > maxKeyBytes { throw FSError(ENAMETOOLONG) }
        if percentEncode(text).utf8.count <= maxKeptBytes { return .native(targetKey: key, keptText: text) }
        if relativeText(linkPath: linkPath, targetKey: key, prefix: prefix) == text {
            return .native(targetKey: key, keptText: nil)
        }
        throw FSError(ENAMETOOLONG)
    }

    /// The mount-relative path `text` names when resolved lexically from the link's directory
    /// (a trailing "/" is kept), or nil when it leaves the mount. "" is the mount root.
    public static func resolve(text: String, linkPath: String, mountPoint: String) -> String? {
        var components: [Substring]
        var rest: [Substring]
        if text.utf8.first == UInt8(ascii: "/") {
            guard !mountPoint.isEmpty else { return nil }
            let absolute = normalizeAbsolute(text)
            let mount = normalizeAbsolute(mountPoint)
            guard absolute.starts(with: mount, by: { $0.utf8.elementsEqual($1.utf8) }) else { return nil }
            components = []
            rest = Array(absolute.dropFirst(mount.count))
        } else {
            let parent = KeyMapping.parent(of: linkPath)
            components = parent.isEmpty ? [] : KeyMapping.components(parent, omittingEmpty: false)
            rest = KeyMapping.components(text, omittingEmpty: true)
        }
        for component in rest {
            switch component {
            case ".": continue
            case "..":
                if components.isEmpty { return nil }
                components.removeLast()
            default: components.append(component)
            }
        }
        let path = components.joined(separator: "/")
        return text.utf8.last == UInt8(ascii: "/") && !path.isEmpty ? path + "/" : path
    }

    /// What readlink returns for a native link at `linkPath` whose target key is `targetKey`:
    /// the kept text when present and still naming that key, else the relative path from the link's
    /// directory to the key (`../img/a.jpg`).
    public static func readlinkText(linkPath: String, targetKey: String, keptText: String?,
                                    prefix: String, mountPoint: String) -> String {
        if let kept = keptText, !kept.isEmpty,
           let resolved = resolve(text: kept, linkPath: linkPath, mountPoint: mountPoint), !resolved.isEmpty,
           (prefix + resolved).utf8.elementsEqual(targetKey.utf8) {
            return kept
        }
        return relativeText(linkPath: linkPath, targetKey: targetKey, prefix: prefix)
    }

    /// The relative path from the directory of the link (at key `prefix + linkPath`) to `targetKey`,
    /// computed on key components, so a target outside the prefix climbs out of the mount.
    public static func relativeText(linkPath: String, targetKey: String, prefix: String) -> String {
        let linkDirectory = KeyMapping.parent(of: prefix + linkPath)
        let from = linkDirectory.isEmpty ? [] : KeyMapping.components(linkDirectory, omittingEmpty: false)
        let to = KeyMapping.components(targetKey, omittingEmpty: false)
        var common = 0
        // The last target component is a name, never a directory shared with the link's path.
        while common < from.count, common < to.count - 1, from[common].utf8.elementsEqual(to[common].utf8) { common += 1 }
        let ups = Array(repeating: Substring(".."), count: from.count - common)
        let text = (ups + to[common...]).joined(separator: "/")
        return text.isEmpty ? "." : text
    }

    /// Percent-encodes everything but the RFC 3986 unreserved characters and "/".
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// Decodes `%XX` sequences (a `+` stays a `+`); nil when the result is not UTF-8.
    public static func percentDecode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func normalizeAbsolute(_ path: String) -> [Substring] {
        var out: [Substring] = []
        for component in KeyMapping.components(path, omittingEmpty: true) {
            switch component {
            case ".": continue
            case "..": if !out.isEmpty { out.removeLast() }
            default: out.append(component)
            }
        }
        return out
    }
}
