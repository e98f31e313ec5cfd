import CFuse3
import Foundation
import OSSFileSystem

// Conversions between the file system's value types and the C structs libfuse expects.
// Kept in one file so field-by-field mapping (and the ino_t / fuse_ino_t width dance) lives once.

extension Timestamp {
    /// The time as a `timespec`.
    var cTimespec: timespec { timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds)) }

    /// A time from a `timespec`, to the nanosecond.
    init(_ ts: timespec) { self.init(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec)) }

    /// The current time, to the nanosecond (CLOCK_REALTIME).
    static func current() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(ts)
    }
}

extension FileAttributes {
    /// The attributes as a `struct stat`.
    var cStat: stat {
        var st = stat()
        st.st_ino = UInt(serial)
        st.st_mode = mode
        st.st_nlink = UInt(nlink)
        st.st_uid = uid
        st.st_gid = gid
        st.st_rdev = dev_t(rdev)
        st.st_size = off_t(clamping: size)
        st.st_blksize = blksize_t(blockSize)
        st.st_blocks = blkcnt_t(clamping: (size + 511) / 512)
        st.st_atim = atime.cTimespec
        st.st_mtim = mtime.cTimespec
        st.st_ctim = ctime.cTimespec
        return st
    }
}

extension EntryReply {
    /// The reply as a `fuse_entry_param` (generation 0: inode numbers are never reused while known).
    var cEntryParam: fuse_entry_param {
        var param = fuse_entry_param()
        param.ino = attributes.ino
        param.generation = 0
        param.attr = attributes.cStat
        param.attr_timeout = attributeTimeout
        param.entry_timeout = entryTimeout
        return param
    }
}

extension FileSystemStatistics {
    /// The figures as a `struct statvfs`.
    var cStatvfs: statvfs {
        var st = statvfs()
        st.f_bsize = UInt(blockSize)
        st.f_frsize = UInt(blockSize)
        st.f_blocks = fsblkcnt_t(blocks)
        st.f_bfree = fsblkcnt_t(blocksFree)
        st.f_bavail = fsblkcnt_t(blocksFree)
        st.f_files = fsfilcnt_t(files)
        st.f_ffree = fsfilcnt_t(filesFree)
        st.f_favail = fsfilcnt_t(filesFree)
        st.f_namemax = UInt(nameMax)
        return st
    }
}

extension AttributeChanges {
    /// The changes a `setattr` request asks for: `toSet` is the FUSE_SET_ATTR_* mask, `st` the values.
    init(toSet: Int32, stat st: stat, now: Timestamp = .current()) {
        let mask = UInt32(bitPattern: toSet)
        func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
        self.init()
        if has(FUSE_SET_ATTR_MODE) { mode = st.st_mode }
        if has(FUSE_SET_ATTR_UID) { uid = st.st_uid }
        if has(FUSE_SET_ATTR_GID) { gid = st.st_gid }
        if has(FUSE_SET_ATTR_SIZE) { size = UInt64(clamping: st.st_size) }
        if has(FUSE_SET_ATTR_ATIME_NOW) { atime = now } else if has(FUSE_SET_ATTR_ATIME) { atime = Timestamp(st.st_atim) }
        if has(FUSE_SET_ATTR_MTIME_NOW) { mtime = now } else if has(FUSE_SET_ATTR_MTIME) { mtime = Timestamp(st.st_mtim) }
    }
}
