import Foundation
import OSSProtocol

/// What the file system knows about one path, from a HEAD, a GetSymlink or a listing.
///
/// A listing carries no user metadata: an entry seen only in a listing has `userMetadata == nil`
/// (`needsMetadata`). The metadata layer completes such an entry with a HEAD before any answer
/// leaves it, except in the listing-only mode, where it shows the default mode (0644 & ~umask,
/// directories 0755 & ~umask) and the mount's uid/gid.
///
/// Kept small: a cache may hold a million of these (one per listed name). The fields a listing
/// gives live inline; the rarer ones (ctime, content headers, link text) share one copy-on-write
/// box that a plain listed file does not allocate at all.
struct NodeStat: Sendable, Equatable {
    var kind: NodeKind
    /// A listed object's `ObjectType`.
    var objectType: ObjectType?
    /// Directories: a marker object `d/` exists.
    var hasMarker: Bool = false
    /// Content length for files, byte length of the readlink text for links, 0 for directories.
    var size: Int64
    /// `x-oss-meta-mtime` when present, else Last-Modified.
    var mtime: Timestamp
    var etag: String?
    /// `x-oss-meta-*` (names lower-cased); nil when the entry was only seen in a listing ([:] for a
    /// directory known to have no marker object).
    var userMetadata: [String: String]?
    var storageClass: String?
    private var details: DetailsBox?

    /// `x-oss-meta-ctime` when present, else `mtime`.
    var ctime: Timestamp? { get { self[\.ctime] } set { self[\.ctime] = newValue } }
    var contentType: String? { get { self[\.contentType] } set { self[\.contentType] = newValue } }
    /// Cache-Control, Content-Disposition, ... (`ContentHeaders.names`): carried into every
    /// rewrite or metadata copy, which would otherwise drop them.
    var contentHeaders: [String: String] { get { self[\.contentHeaders] } set { self[\.contentHeaders] = newValue } }
    /// Links: what readlink returns.
    var linkText: String? { get { self[\.linkText] } set { self[\.linkText] = newValue } }
    /// Native links: the raw OSS target key.
    var linkTargetKey: String? { get { self[\.linkTargetKey] } set { self[\.linkTargetKey] = newValue } }

    private struct Details: Sendable, Equatable {
        var ctime: Timestamp?
        var contentType: String?
        var contentHeaders: [String: String] = [:]
        var linkText: String?
        var linkTargetKey: String?

        var isEmpty: Bool {
            ctime == nil && contentType == nil && contentHeaders.isEmpty && linkText == nil && linkTargetKey == nil
        }
    }

    /// Never changed while shared: a change copies it first.
    private final class DetailsBox: @unchecked Sendable {
        var value: Details
        init(_ value: Details) { self.value = value }
    }

    /// One of the out-of-line fields; the box is copied before a change when shared, and goes
    /// when nothing is left in it.
    private subscript<Value>(field: WritableKeyPath<Details, Value>) -> Value {
        get { (details?.value ?? Details())[keyPath: field] }
        set {
            if details == nil || !isKnownUniquelyReferenced(&details) {
                var value = details?.value ?? Details()
                value[keyPath: field] = newValue
                details = value.isEmpty ? nil : DetailsBox(value)
            } else {
                details!.value[keyPath: field] = newValue
                if details!.value.isEmpty { details = nil }
            }
        }
    }

    static func == (a: NodeStat, b: NodeStat) -> Bool {
        a.kind == b.kind && a.objectType == b.objectType && a.hasMarker == b.hasMarker && a.size == b.size
            && a.mtime == b.mtime && a.etag == b.etag && a.userMetadata == b.userMetadata
            && a.storageClass == b.storageClass && (a.details?.value ?? Details()) == (b.details?.value ?? Details())
    }

    init(kind: NodeKind, size: Int64, mtime: Timestamp, etag: String?, userMetadata: [String: String]?,
         storageClass: String? = nil, objectType: ObjectType? = nil, contentType: String? = nil) {
        self.kind = kind; self.size = size; self.mtime = mtime; self.etag = etag; self.userMetadata = userMetadata
        self.storageClass = storageClass; self.objectType = objectType
        if let contentType { self.contentType = Self.shared(contentType) }
        if let userMetadata { applyTimes(userMetadata) }
    }

    /// The content types most objects have, as constants: a HEAD's answer is a fresh string, and a
    /// cache of a million answers would hold a million copies of `application/octet-stream`.
    private static let commonContentTypes = ["application/octet-stream", "text/plain", "binary/octet-stream",
                                             "application/x-directory"]

    private static func shared(_ contentType: String) -> String {
        commonContentTypes.first { $0.utf8.elementsEqual(contentType.utf8) } ?? contentType
    }

    static func directory(mtime: Timestamp = Timestamp(seconds: 0), marker: Bool = false,
                          metadata: [String: String]? = nil, etag: String? = nil) -> NodeStat {
        var stat = NodeStat(kind: .directory, size: 0, mtime: mtime, etag: etag, userMetadata: metadata)
        stat.hasMarker = marker
        return stat
    }

    /// Takes `x-oss-meta-mtime` and `x-oss-meta-ctime` from `metadata` where present.
    mutating func applyTimes(_ metadata: [String: String]) {
        if let mtime = PosixMetadata.mtime(metadata) { self.mtime = mtime }
        if let ctime = PosixMetadata.ctime(metadata) { self.ctime = ctime }
    }

    /// True for an entry known only from a listing, whose stored mode, owner and times are not
    /// known yet (native links carry theirs in the GetSymlink answer).
    var needsMetadata: Bool { userMetadata == nil && kind != .symlink }

    /// Write options that keep this object's content headers, with `userMetadata`.
    func writeOptions(_ userMetadata: [String: String], forbidOverwrite: Bool = false) -> WriteOptions {
        WriteOptions(userMetadata: userMetadata, contentType: contentType, forbidOverwrite: forbidOverwrite,
                     contentHeaders: contentHeaders)
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

