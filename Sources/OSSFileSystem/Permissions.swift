import Foundation

/// POSIX permission checks against mode bits, for `access` and `setattr`.
enum Permissions {
    /// True when `context` may access a node with `attributes` for `mask` (R_OK|W_OK|X_OK).
    /// Root passes, except that executing needs some execute bit on a non-directory.
    static func allows(_ attributes: FileAttributes, mask: Int32, context: CallerContext) -> Bool {
        let mode = attributes.mode
        if context.uid == 0 {
            if mask & X_OK != 0, mode & UInt32(S_IFMT) != UInt32(S_IFDIR), mode & 0o111 == 0 { return false }
            return true
        }
        let bits: UInt32
        if context.uid == attributes.uid {
            bits = (mode >> 6) & 7
        } else if context.gid == attributes.gid {
            bits = (mode >> 3) & 7
        } else {
            bits = mode & 7
        }
        if mask & R_OK != 0, bits & 4 == 0 { return false }
        if mask & W_OK != 0, bits & 2 == 0 { return false }
        if mask & X_OK != 0, bits & 1 == 0 { return false }
        return true
    }

    /// `mode` as a write by an unprivileged user leaves it (Linux 6.2+, `setattr_should_drop_sgid`):
    /// setuid cleared; setgid cleared where group execute is set, or where the writer is not in
    /// the file's group (`inGroup`: its gid is the file's; supplementary groups are not known here).
    static func withoutPrivileges(_ mode: UInt32, inGroup: Bool) -> UInt32 {
        var mode = mode & ~UInt32(S_ISUID)
        if mode & UInt32(S_IXGRP) != 0 || !inGroup { mode &= ~UInt32(S_ISGID) }
        return mode
    }

    /// True when `new` differs from `old` only by cleared setuid/setgid bits: what the kernel asks
    /// for when an unprivileged user writes such a file, allowed to non-owners (it only takes
    /// privileges away).
    static func onlyDropsPrivileges(from old: UInt32, to new: UInt32) -> Bool {
        let privileges = UInt32(S_ISUID | S_ISGID)
        return new & 0o7777 != old & 0o7777 && new & ~privileges & 0o7777 == old & ~privileges & 0o7777
            && new & privileges & ~old == 0
    }

    /// True when `context` may change owner-only attributes (mode, times to arbitrary values).
    static func isOwner(_ attributes: FileAttributes, _ context: CallerContext) -> Bool {
        context.uid == 0 || context.uid == attributes.uid
    }
}
