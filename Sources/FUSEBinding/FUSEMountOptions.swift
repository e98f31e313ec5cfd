import Foundation

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
    /// Kernel `max_background`: requests the kernel keeps in flight (0 = libfuse default).
    public var maxBackground: Int
    /// Upper bound of libfuse worker threads.
    public var maxThreads: Int
    /// Bytes the kernel may read ahead / send per read or write (at least 1 MiB).
    public var maxTransfer: Int
    /// Which opens bypass the kernel's page cache (`FOPEN_DIRECT_IO`).
    public var directIO: DirectIOPolicy

    /// Which opened files the kernel reads and writes without its page cache.
    public enum DirectIOPolicy: Sendable, Equatable {
        /// Write-only opens only (the default). Their bytes go straight from the writer's buffer
        /// to ossfuse instead of being copied into page-cache pages first, which nothing would read:
        /// a write-only descriptor cannot be read or mapped. Readable opens keep the page cache,
        /// so re-reads, shared mmap and executables work as on a local disk.
        case writeOnly
        /// Every open (`-o direct_io`): reads are served by ossfuse's prefetcher straight into the
        /// reader's buffer, fastest for large one-pass reads, but nothing is cached between reads
        /// and `mmap(MAP_SHARED)` fails with ENODEV (MAP_PRIVATE still works).
        case always
    }

    /// Whether an open with open(2) `flags` bypasses the page cache under `directIO`.
    public func bypassesPageCache(flags: Int32) -> Bool {
        switch directIO {
        case .always: return true
        case .writeOnly: return flags & O_ACCMODE == O_WRONLY
        }
    }

    /// Creates mount options; the defaults match the documented CLI defaults.
    public init(fileSystemName: String, readOnly: Bool = false, allowOther: Bool = false,
                noSymFollow: Bool = false, maxBackground: Int = 64,
                maxThreads: Int = 16, maxTransfer: Int = 1 << 20, directIO: DirectIOPolicy = .writeOnly) {
        self.fileSystemName = fileSystemName; self.readOnly = readOnly; self.allowOther = allowOther
        self.noSymFollow = noSymFollow
        self.maxBackground = maxBackground; self.maxThreads = maxThreads
        self.maxTransfer = max(maxTransfer, 1 << 20)
        self.directIO = directIO
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
