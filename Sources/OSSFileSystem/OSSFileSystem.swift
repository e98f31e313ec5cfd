import Foundation
import Logging
import Synchronization
import OSSProtocol

/// The POSIX view of a bucket (or of a prefix in it) over any `ObjectStore`: paths, inodes, caches,
/// file handles and the symlink rules of design.md. Knows nothing of the kernel; `FUSEBinding` calls
/// it through `FileSystemOperations`, and every store or transport error leaves it as an `FSError`
/// (see `ErrnoMapping`).
///
/// Consistency: local changes invalidate the caches at once; changes by other writers are seen after
/// `attributeTimeout` (`negativeTimeout` for names that did not exist).
///
/// Behaviours worth stating to users (man page):
/// - Attributes shown are the attributes stored (`PosixMetadata`), on every path: a listing carries
///   no user metadata, so an entry known only from one is completed with a HEAD (concurrent,
///   bounded, shared with lookups of the same name) before it is answered. Objects without such
///   metadata show 0644 & ~umask (directories 0755 & ~umask), the mount's uid/gid and Last-Modified.
///   `MountConfiguration.listingOnly` trades that for one HEAD less per listed entry.
/// - Legacy links (ossfs 1.x / s3fs form) that ossfuse writes are Appendable objects (AppendObject
///   at position 0), so even a listing-only mount knows to HEAD them (small Appendable entries
///   only) and shows them as links. Legacy links written by other tools are Normal objects: the
///   HEAD every listed entry gets shows them as links; a listing-only mount shows them as small
///   regular files until they are looked up.
/// - Lookup bursts: from the third lookup in one directory that needs the store within
///   `attributeTimeout`, the directory is listed once (up to 10 pages of 1000) and later lookups
///   are answered from that listing (each found name then costs its HEAD, unless listing-only); a
///   complete listing also answers "no such name" for `negativeTimeout`. A directory made by mkdir here starts with
///   an empty complete listing for `negativeTimeout`: names other writers add to it meanwhile show
///   after that time.
/// - A bucket holding both `a` and `a/` shows the file `a`.
/// - Keys that are not POSIX names (`a//b`, `.`, `..`, a segment over 255 bytes) are hidden and
///   logged once.
/// - `ln -s` stores a native OSS link when the text resolves inside the mount, else a legacy link;
///   texts over 4095 bytes, or whose target key would pass 1023 bytes, are ENAMETOOLONG.
/// - A file created here (O_CREAT) exists in this mount at once, but its object only from the
///   handle's first flush/fsync/close (one PutObject, a 0-byte one if nothing was written). With
///   O_EXCL that upload carries forbid-overwrite: if another writer made the name meanwhile, theirs
///   stays and close fails with EIO.
/// - A file renamed while open for writing is flushed before the copy and keeps uploading to its
///   new name; the old name is never written again.
/// - Directory rename copies and deletes every key below, in parallel: not atomic. Appendable
///   objects cannot be copied on OSS: links among them are written again, other appendable files
///   are read and put (they become Normal objects).
/// - Progress of directory renames and of multipart uploads at close goes to the logger.
/// - chmod/chown/utimens persist as `x-oss-meta-mode|uid|gid|mtime|ctime`; an upload stores the time
///   of the last write (except a streaming multipart upload, whose mtime is its Last-Modified).
///   chmod of a bucket mount's root is accepted but not kept.
public final class OSSFileSystem: FileSystemOperations {
    let store: any ObjectStore
    let configuration: MountConfiguration
    /// `-o cache_dir=`: blocks of objects read here, kept on local disk (nil: no data cache).
    let dataCache: DataCache?
    let keys: KeyMapping
    let inodes = InodeTable()
    let handles = HandleTable()
    private let heap = HeapReturn()
    let clock: @Sendable () -> Date
    /// The metadata layer: caches, listings, lookups, the attribute rule.
    let superblock: Superblock
    private let attributeInvalidator = Mutex<(@Sendable (InodeNumber) -> Void)?>(nil)
    /// Keys whose refused read was logged (once per key until a restore of it is asked for here).
    let frozenKeysLogged = Mutex(Set<String>())

    /// - Parameters:
    ///   - logger: hears one line per notable event (hidden keys, rename progress, upload failures).
    ///   - clock: the time used for cache expiry (tests pass a manual clock); defaults to `Date()`.
    public init(store: any ObjectStore, configuration: MountConfiguration,
                logger: Logger = Logger(label: "ossfuse.fs"), clock: (@Sendable () -> Date)? = nil) {
        self.store = store
        self.configuration = configuration
        do {
            self.dataCache = try configuration.dataCache.map { try DataCache($0, logger: logger) }
        } catch {
            logger.warning("data cache disabled: cannot use \(configuration.dataCache?.directory ?? ""): \(error)")
            self.dataCache = nil
        }
        self.keys = KeyMapping(prefix: configuration.prefix)
        let clock = clock ?? { Date() }
        self.clock = clock
        let inodes = self.inodes, handles = self.handles
        self.superblock = Superblock(store: store, configuration: configuration, clock: clock, logger: logger) { path in
            Self.unstoredStat(path, inodes: inodes, handles: handles)
        }
    }

    func log(_ message: String, level: Logger.Level = .info) { superblock.log(message, level: level) }

    /// The caches' hits, misses and entries, the bytes staged by open files and the uploads
    /// running, now (`-o metrics`). Cheap: a few locks, one pass over the open files.
    public func statistics() -> MountStatistics {
        var statistics = MountStatistics()
        statistics.cache = superblock.cache.statistics
        for staged in handles.stagedFiles() {
            statistics.stagedBytes += staged.size
            if staged.isDirty { statistics.dirtyFiles += 1 }
        }
        statistics.uploadsInFlight = StagedFile.uploadsInFlight.load(ordering: .relaxed)
        return statistics
    }

    /// The time of a change made now, to the nanosecond the clock gives.
    func now() -> Timestamp { superblock.now() }

    public func initialize() async {}

    public var negativeEntryTimeout: Double { configuration.negativeTimeout }

    public func setAttributeInvalidator(_ invalidate: @escaping @Sendable (InodeNumber) -> Void) {
        attributeInvalidator.withLock { $0 = invalidate }
    }

    /// Tells the kernel that `ino`'s attributes changed without a reply saying so.
    func attributesChanged(_ ino: InodeNumber) {
        attributeInvalidator.withLock { $0 }?(ino)
    }

    public func lookup(parent: InodeNumber, name: String) async throws(FSError) -> EntryReply {
        if name.utf8.count > 255 { throw FSError(ENAMETOOLONG) }
        let parentPath = try path(of: parent)
        if name == "." { return entry(parentPath, try await stat(parentPath)) }
        if name == ".." {
            let up = KeyMapping.parent(of: parentPath)
            return entry(up, try await stat(up))
        }
        guard KeyMapping.isValidName(name) else { throw FSError(ENOENT) }
        let path = KeyMapping.child(parentPath, name)
        return entry(path, try await stat(path))
    }

    /// The kernel dropped `lookups` references to `ino`; at zero the inode goes, and with it the
    /// cached attributes of its path (memory stays bounded by what the kernel holds).
    public func forget(_ ino: InodeNumber, lookups: UInt64) {
        let path = inodes.path(of: ino)
        if inodes.forget(ino, count: lookups) {
            handles.contentChanged(ino)
            if let path, !path.isEmpty, inodes.inode(of: path) == nil { superblock.cache.forget(path) }
            heap.noteFreed()
        }
    }

    public func getattr(_ ino: InodeNumber) async throws(FSError) -> (FileAttributes, timeout: Double) {
        guard let path = inodes.path(of: ino) else {
            // Unlinked (or replaced) while open: fstat still answers from the handle.
            guard let open = handles.anyHandle(of: ino) else { throw FSError(ENOENT) }
            var stat = NodeStat(kind: .file, size: open.staged?.size ?? open.openedSize, mtime: now(), etag: nil,
                                userMetadata: open.metadata)
            if let modified = handles.modified(ino) { stat.mtime = modified; stat.ctime = modified }
            return (attributes(ino, stat), configuration.attributeTimeout)
        }
        return (attributes(ino, withLocalWrites(ino, try await stat(path))), configuration.attributeTimeout)
    }

    public func statfs(_ ino: InodeNumber) async throws(FSError) -> FileSystemStatistics {
        FileSystemStatistics()
    }

    public func access(_ ino: InodeNumber, mask: Int32, context: CallerContext) async throws(FSError) {
        let path = try path(of: ino)
        let attributes = attributes(ino, try await stat(path))
        if mask & W_OK != 0 && configuration.readOnly { throw FSError(EROFS) }
        guard mask != F_OK else { return }
        if !Permissions.allows(attributes, mask: mask, context: context) { throw FSError(EACCES) }
    }

    // MARK: - Shared helpers

    /// The current path of `ino`; ENOENT for an inode the table no longer knows (or one detached).
    func path(of ino: InodeNumber) throws(FSError) -> String {
        guard let path = inodes.path(of: ino) else { throw FSError(ENOENT) }
        return path
    }

    /// EROFS on a read-only mount.
    func requireWritable() throws(FSError) {
        if configuration.readOnly { throw FSError(EROFS) }
    }

    /// An entry reply for `path`, counting one lookup.
    func entry(_ path: String, _ stat: NodeStat) -> EntryReply {
        let ino = inodes.reference(path, kind: stat.kind)
        return EntryReply(attributes: attributes(ino, withLocalWrites(ino, stat)), entryTimeout: configuration.attributeTimeout,
                          attributeTimeout: configuration.attributeTimeout)
    }

    /// `stat` with the size and times of unsaved writes held by this mount's handles of `ino`.
    func withLocalWrites(_ ino: InodeNumber, _ stat: NodeStat) -> NodeStat {
        var stat = stat
        if let live = handles.liveSize(of: ino) { stat.size = live }
        if let modified = handles.modified(ino), modified > stat.mtime { stat.mtime = modified; stat.ctime = modified }
        return stat
    }

    /// The kernel's view of a stat: the stored mode, owner and times, else the mount's defaults.
    func attributes(_ ino: InodeNumber, _ stat: NodeStat) -> FileAttributes {
        let metadata = stat.userMetadata ?? [:]
        let stored = PosixMetadata.mode(metadata)
        let permissions = stored.map { $0 & 0o7777 }
        let mode: UInt32
        switch stat.kind {
        case .file: mode = UInt32(S_IFREG) | (permissions ?? (0o644 & ~configuration.umask))
        case .special: mode = (stored ?? 0) & UInt32(S_IFMT) | (permissions ?? (0o644 & ~configuration.umask))
        case .directory: mode = UInt32(S_IFDIR) | (permissions ?? (0o755 & ~configuration.umask))
        case .symlink: mode = UInt32(S_IFLNK) | 0o777
        }
        return FileAttributes(ino: ino, serial: serial(ino, kind: stat.kind), mode: mode,
                              nlink: stat.kind == .directory ? 2 : 1,
                              uid: PosixMetadata.uid(metadata) ?? configuration.uid,
                              gid: PosixMetadata.gid(metadata) ?? configuration.gid,
                              rdev: stat.kind == .special ? PosixMetadata.rdev(metadata) ?? 0 : 0,
                              size: UInt64(max(stat.size, 0)), atime: stat.mtime, mtime: stat.mtime,
                              ctime: stat.ctime ?? stat.mtime)
    }

    /// `st_ino` of the inode `ino` (see `InodeSerial`); the node id for one detached from its path.
    func serial(_ ino: InodeNumber, kind: NodeKind) -> UInt64 {
        if ino == InodeTable.root { return InodeSerial.root }
        guard let path = inodes.path(of: ino) else { return ino }
        return serial(of: path, kind: kind)
    }

    func serial(of path: String, kind: NodeKind) -> UInt64 {
        path.isEmpty ? InodeSerial.root
            : InodeSerial.of(key: kind == .directory ? keys.directoryPrefix(path) : keys.objectKey(path))
    }
}
