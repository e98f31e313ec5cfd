import Foundation

/// The POSIX attributes stored as user metadata, under the names ossfs 1.x and s3fs use
/// (`x-oss-meta-mode|uid|gid|mtime|ctime|rdev`), so each tool reads what the others wrote:
/// - `mode`: decimal, file type bits included (`33188` is a 0644 regular file; a FIFO, socket or
///   device node carries its type here, with `rdev` its device number);
/// - `uid`, `gid`: decimal;
/// - `mtime`, `ctime`: `SECONDS` or `SECONDS.NNNNNNNNN` (see `Timestamp.metadataValue`).
enum PosixMetadata {
    static let mode = "mode"
    static let uid = "uid"
    static let gid = "gid"
    static let mtime = "mtime"
    static let ctime = "ctime"
    static let rdev = "rdev"
    /// ossfs 1.x variant of a legacy link with an empty body.
    static let legacyLinkTarget = "symlink-target"
    /// Names file-system code manages itself; not offered as `user.meta.*` xattrs.
    static let reserved: Set<String> = [mode, uid, gid, mtime, "atime", ctime, rdev, legacyLinkTarget,
                                        SymlinkTarget.keptTextMetadata]

    static func mode(_ metadata: [String: String]) -> UInt32? { metadata[mode].flatMap { UInt32($0) } }
    static func uid(_ metadata: [String: String]) -> UInt32? { metadata[uid].flatMap { UInt32($0) } }
    static func gid(_ metadata: [String: String]) -> UInt32? { metadata[gid].flatMap { UInt32($0) } }
    static func rdev(_ metadata: [String: String]) -> UInt64? { metadata[rdev].flatMap { UInt64($0) } }
    static func mtime(_ metadata: [String: String]) -> Timestamp? { metadata[mtime].flatMap { Timestamp(metadataValue: $0) } }
    static func ctime(_ metadata: [String: String]) -> Timestamp? { metadata[ctime].flatMap { Timestamp(metadataValue: $0) } }

    /// True when the mode metadata says "symbolic link" (a legacy link).
    static func isLegacyLink(_ metadata: [String: String]) -> Bool {
        mode(metadata).map { $0 & UInt32(S_IFMT) == UInt32(S_IFLNK) } ?? false
    }

    /// The file type bits of a FIFO, socket or device node stored as an empty object; nil for
    /// anything else.
    static func specialType(_ metadata: [String: String]) -> UInt32? {
        guard let type = mode(metadata).map({ $0 & UInt32(S_IFMT) }) else { return nil }
        return specialTypes.contains(type) ? type : nil
    }

    static let specialTypes: Set<UInt32> = [UInt32(S_IFIFO), UInt32(S_IFSOCK), UInt32(S_IFCHR), UInt32(S_IFBLK)]

    /// The metadata of an object created by `owner` at `now` with `mode` (type bits included): the
    /// creator's uid and gid are stored, as ossfs 1.x and s3fs do, so another user's files stay theirs.
    static func newObject(mode: UInt32, owner: CallerContext, now: Timestamp) -> [String: String] {
        [self.mode: String(mode), uid: String(owner.uid), gid: String(owner.gid),
         mtime: now.metadataValue, ctime: now.metadataValue]
    }

    /// `metadata` with both times set to `now` (a change of content).
    static func touched(_ metadata: [String: String], at now: Timestamp) -> [String: String] {
        var metadata = metadata
        metadata[mtime] = now.metadataValue
        metadata[ctime] = now.metadataValue
        return metadata
    }
}
