/// `st_ino` numbers that depend only on the object key, so they stay the same when the kernel
/// forgets an inode and looks it up again, and across remounts: git's index, tar and find compare
/// them. (The kernel's node ids are handed out per mount and need not match.)
enum InodeSerial {
    /// The mount root's `st_ino`.
    static let root: UInt64 = 1

    /// FNV-1a (64 bits) of the key's bytes, kept to 63 bits (programs that hold `st_ino` in a
    /// signed 64-bit integer, Java's among them, see it positive); 0 and 1 (no inode, the root)
    /// are moved aside. For a million keys the chance that any two share a number is about 5 in
    /// 100 million.
    static func of(key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash &= 0x7fff_ffff_ffff_ffff
        return hash > root ? hash : hash + 2
    }
}
