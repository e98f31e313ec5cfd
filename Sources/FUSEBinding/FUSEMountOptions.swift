/// What the binding needs to know about a mount: kernel mount options and connection tuning.
public struct FUSEMountOptions: Sendable, Equatable {
    /// Shown as the mount's source: `ossfuse:BUCKET`.
    public var fileSystemName: String
    /// Mount read-only (`ro`): the kernel refuses every change with EROFS.
    public var readOnly: Bool
    /// Let users other than the mounting one use the mount (`allow_other`; needs root or
    /// `user_allow_other` in /etc/fuse.conf).
    public var allowOther: Bool
    /// Ask the kernel not to follow symlinks on this mount (`nosymfollow`, Linux 5.10+).
    public var noSymFollow: Bool
    /// Seconds the kernel caches "no such name" (0 turns negative entries off).
    public var negativeTimeout: Double
    /// Kernel `max_background`: requests the kernel keeps in flight (0 = libfuse default).
    public var maxBackground: Int
    /// Upper bound of libfuse worker threads.
    public var maxThreads: Int
    /// Bytes the kernel may read ahead / send per read or write (at least 1 MiB).
    public var maxTransfer: Int

    /// Creates mount options; the defaults match the documented CLI defaults.
    public init(fileSystemName: String, readOnly: Bool = false, allowOther: Bool = false,
                noSymFollow: Bool = false, negativeTimeout: Double = 5, maxBackground: Int = 64,
                maxThreads: Int = 16, maxTransfer: Int = 1 << 20) {
        self.fileSystemName = fileSystemName; self.readOnly = readOnly; self.allowOther = allowOther
        self.noSymFollow = noSymFollow; self.negativeTimeout = negativeTimeout
        self.maxBackground = maxBackground; self.maxThreads = maxThreads
        self.maxTransfer = max(maxTransfer, 1 << 20)
    }

    /// The `-o` string handed to `fuse_session_new`. `nosymfollow` is not among libfuse 3.14's
    /// mount options, so `FUSESession` applies it with a bind remount instead.
    var kernelOptionString: String {
        let escapedName = fileSystemName.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: ",", with: "\\,")
        var parts = ["fsname=\(escapedName)", "subtype=ossfuse", "default_permissions", "noatime",
                     "max_read=\(maxTransfer)"]
        if allowOther { parts.append("allow_other") }
        if readOnly { parts.append("ro") }
        return parts.joined(separator: ",")
    }
}
