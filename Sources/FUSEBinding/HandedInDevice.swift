@preconcurrency import Glibc

/// A mount point given as `/dev/fd/N`: an open `/dev/fuse` descriptor that a privileged parent
/// (a Kubernetes CSI node plugin, a container runtime) has already mounted with `mount(2)`
/// (`fd=N,rootmode=40000,user_id=…,group_id=…`). libfuse 3.3+ serves such a descriptor as is in
/// `fuse_session_mount` and never mounts or unmounts it itself, so the process needs no
/// `CAP_SYS_ADMIN`; the parent chooses the kernel mount options and unmounts.
public enum HandedInDevice {
    /// The descriptor number when `mountPoint` is `/dev/fd/N` (digits only, as libfuse's
    /// `fuse_mnt_parse_fuse_fd` reads it), else nil.
    public static func descriptor(_ mountPoint: String) -> Int32? {
        let prefix = "/dev/fd/"
        guard mountPoint.hasPrefix(prefix) else { return nil }
        let digits = mountPoint.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int32(digits)
    }

    /// Why descriptor `fd` cannot be served, or nil when it is an open `/dev/fuse` (character
    /// device 10:229).
    public static func problem(with fd: Int32) -> String? {
        guard fcntl(fd, F_GETFD) != -1 else { return "descriptor \(fd) is not open in this process" }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return "cannot stat descriptor \(fd): \(String(cString: strerror(errno)))" }
        // glibc's encoding of a device number (<sys/sysmacros.h>): 10:229 is 0x0ae5.
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        guard info.st_mode & S_IFMT == S_IFCHR, major == 10, minor == 229 else {
            return "descriptor \(fd) is not /dev/fuse"
        }
        return nil
    }
}
