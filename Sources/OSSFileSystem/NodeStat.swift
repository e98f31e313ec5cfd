import Foundation
import OSSProtocol

/// What the file system knows about one path, from a HEAD, a GetSymlink or a listing.
///
/// A listing carries no user metadata: an entry seen only in a listing has `userMetadata == nil`,
/// and then shows the default mode (0644 & ~umask, directories 0755 & ~umask) and the mount's
/// uid/gid until a HEAD fills in its `x-oss-meta-mode|uid|gid|mtime`.
struct NodeStat: Sendable, Equatable {
    var kind: NodeKind
    /// Content length for files, byte length of the readlink text for links, 0 for directories.
    var size: Int64
    /// Last-Modified, or `x-oss-meta-mtime` when present.
    var mtime: Date
    var etag: String?
    /// `x-oss-meta-*` (names lower-cased); nil when the entry was only seen in a listing.
    var userMetadata: [String: String]?
    var storageClass: String?
    var objectType: ObjectType?
    var contentType: String?
    /// Links: what readlink returns.
    var linkText: String?
    /// Native links: the raw OSS target key.
    var linkTargetKey: String?
    /// Directories: a marker object `d/` exists.
    var hasMarker: Bool = false

    static func directory(mtime: Date = Date(timeIntervalSince1970: 0), marker: Bool = false,
                          metadata: [String: String]? = nil, etag: String? = nil) -> NodeStat {
        var stat = NodeStat(kind: .directory, size: 0, mtime: mtime, etag: etag, userMetadata: metadata)
        stat.hasMarker = marker
        if let metadata, let seconds = PosixMetadata.mtime(metadata) { stat.mtime = seconds }
        return stat
    }

    /// A legacy link (regular object with S_IFLNK in its mode metadata) or not.
    var isLegacyLink: Bool { kind == .symlink && linkTargetKey == nil }

    /// The ETag that names these bytes, for reads pinned to them (If-Match): that of a Normal or
    /// Multipart object. None for an appendable object, whose ETag changes with every append while
    /// the bytes already there stay, nor when the type is not known.
    var versionETag: String? {
        objectType == .normal || objectType == .multipart ? etag : nil
    }
}

/// The ossfs 1.x / s3fs metadata names for POSIX attributes (`x-oss-meta-mode|uid|gid|mtime`):
/// mode as a decimal string (file type bits included), mtime as decimal seconds.
enum PosixMetadata {
    static let mode = "mode"
    static let uid = "uid"
    static let gid = "gid"
    static let mtime = "mtime"
    /// ossfs 1.x variant of a legacy link with an empty body.
    static let legacyLinkTarget = "symlink-target"
    /// Names file-system code manages itself; not offered as `user.meta.*` xattrs.
    static let reserved: Set<String> = [mode, uid, gid, mtime, "atime", "ctime", legacyLinkTarget,
                                        SymlinkTarget.keptTextMetadata]

    static func mode(_ metadata: [String: String]) -> UInt32? { metadata[mode].flatMap { UInt32($0) } }
    static func uid(_ metadata: [String: String]) -> UInt32? { metadata[uid].flatMap { UInt32($0) } }
    static func gid(_ metadata: [String: String]) -> UInt32? { metadata[gid].flatMap { UInt32($0) } }
    static func mtime(_ metadata: [String: String]) -> Date? {
        metadata[mtime].flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0) }
    }

    /// True when the mode metadata says "symbolic link" (a legacy link).
    static func isLegacyLink(_ metadata: [String: String]) -> Bool {
        guard let mode = mode(metadata) else { return false }
        return mode & UInt32(S_IFMT) == UInt32(S_IFLNK)
    }

    /// Decimal seconds as written (whole seconds, as s3fs parses them).
    static func format(_ date: Date) -> String { String(Int64(date.timeIntervalSince1970.rounded(.down))) }
}
