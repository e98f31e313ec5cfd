import Foundation

/// Kernel inode number. 1 is the mount root (FUSE_ROOT_ID).
public typealias InodeNumber = UInt64
/// An open file or directory handle number handed to the kernel.
public typealias HandleNumber = UInt64

/// A POSIX error for the kernel: the only error type that crosses into `FUSEBinding`.
/// Store and transport errors become `FSError` in exactly one place (`ErrnoMapping`).
public struct FSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errno: Int32
    public init(_ errno: Int32) { self.errno = errno }
    public var description: String { "errno \(errno) (\(String(cString: strerror(errno))))" }
}

/// The stat of an inode, as the kernel sees it.
public struct FileAttributes: Sendable, Equatable {
    /// The kernel's node id (what later requests name the inode by).
    public var ino: InodeNumber
    /// `st_ino`: stable for a key across forgotten inodes and remounts (see `InodeSerial`); the
    /// node id is not, and need not be.
    public var serial: UInt64
    /// Full `st_mode`, file type bits included (`S_IFREG | 0o644`, `S_IFLNK | 0o777`, ...).
    public var mode: UInt32
    public var nlink: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// Device number of a character or block device node.
    public var rdev: UInt64
    public var size: UInt64
    public var atime: Timestamp
    public var mtime: Timestamp
    public var ctime: Timestamp
    public var blockSize: UInt32

    public init(ino: InodeNumber, serial: UInt64? = nil, mode: UInt32, nlink: UInt32 = 1, uid: UInt32, gid: UInt32,
                rdev: UInt64 = 0, size: UInt64, atime: Timestamp, mtime: Timestamp, ctime: Timestamp,
                blockSize: UInt32 = 4096) {
        self.ino = ino; self.serial = serial ?? ino; self.mode = mode; self.nlink = nlink; self.uid = uid; self.gid = gid
        self.rdev = rdev; self.size = size; self.atime = atime; self.mtime = mtime; self.ctime = ctime
        self.blockSize = blockSize
    }
}

/// A lookup/create/mkdir/symlink reply: adds one to the inode's lookup count.
public struct EntryReply: Sendable, Equatable {
    public var attributes: FileAttributes
    /// Seconds the kernel may cache the name -> inode mapping and the attributes.
    public var entryTimeout: Double
    public var attributeTimeout: Double
    public init(attributes: FileAttributes, entryTimeout: Double, attributeTimeout: Double) {
        self.attributes = attributes; self.entryTimeout = entryTimeout; self.attributeTimeout = attributeTimeout
    }
}

/// One directory entry. `offset` is the cookie the kernel passes back to continue after this entry.
/// With readdirplus, `entry` is set and counts as a lookup (the binding must not add one itself).
public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    /// `d_ino`: the entry's `st_ino` (`FileAttributes.serial`), not its node id.
    public var ino: UInt64
    public var mode: UInt32
    public var offset: UInt64
    public var entry: EntryReply?
    public init(name: String, ino: InodeNumber, mode: UInt32, offset: UInt64, entry: EntryReply? = nil) {
        self.name = name; self.ino = ino; self.mode = mode; self.offset = offset; self.entry = entry
    }
}

/// The fields a setattr call changes (nil = unchanged).
public struct AttributeChanges: Sendable, Equatable {
    public var mode: UInt32?
    public var uid: UInt32?
    public var gid: UInt32?
    public var size: UInt64?
    public var atime: Timestamp?
    public var mtime: Timestamp?
    public init(mode: UInt32? = nil, uid: UInt32? = nil, gid: UInt32? = nil, size: UInt64? = nil,
                atime: Timestamp? = nil, mtime: Timestamp? = nil) {
        self.mode = mode; self.uid = uid; self.gid = gid; self.size = size; self.atime = atime; self.mtime = mtime
    }
}

/// statfs figures.
public struct FileSystemStatistics: Sendable, Equatable {
    public var blockSize: UInt64
    public var blocks: UInt64
    public var blocksFree: UInt64
    public var files: UInt64
    public var filesFree: UInt64
    public var nameMax: UInt64
    public init(blockSize: UInt64 = 4096, blocks: UInt64 = 1 << 40, blocksFree: UInt64 = 1 << 40,
                files: UInt64 = 1 << 32, filesFree: UInt64 = 1 << 32, nameMax: UInt64 = 255) {
        self.blockSize = blockSize; self.blocks = blocks; self.blocksFree = blocksFree
        self.files = files; self.filesFree = filesFree; self.nameMax = nameMax
    }
}

/// Who is calling (from `fuse_req_ctx`).
public struct CallerContext: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public init(uid: UInt32 = 0, gid: UInt32 = 0, pid: Int32 = 0) { self.uid = uid; self.gid = gid; self.pid = pid }
}

/// What `FUSEBinding` calls: one async method per low-level FUSE operation, in kernel terms
/// (inode numbers, handles, errno). `OSSFileSystem` is the implementation; the binding knows nothing
/// else of it. Every method throws only `FSError`.
public protocol FileSystemOperations: AnyObject, Sendable {
    /// Called once from FUSE `init`; the binding then applies `maxReadahead`/`maxWrite` etc.
    func initialize() async
    /// Seconds the kernel may remember that a name does not exist (ENOENT from `lookup`).
    var negativeEntryTimeout: Double { get }
    /// Where to say that an inode's attributes changed outside any reply (the kernel then drops
    /// its cached copy): set by the binding once mounted.
    func setAttributeInvalidator(_ invalidate: @escaping @Sendable (InodeNumber) -> Void)
    func lookup(parent: InodeNumber, name: String) async throws(FSError) -> EntryReply
    func forget(_ ino: InodeNumber, lookups: UInt64)
    func getattr(_ ino: InodeNumber) async throws(FSError) -> (FileAttributes, timeout: Double)
    func setattr(_ ino: InodeNumber, changes: AttributeChanges, handle: HandleNumber?, context: CallerContext) async throws(FSError) -> (FileAttributes, timeout: Double)
    func readlink(_ ino: InodeNumber) async throws(FSError) -> String
    func symlink(parent: InodeNumber, name: String, target: String, context: CallerContext) async throws(FSError) -> EntryReply
    /// `mode` carries the file type (regular, FIFO, socket, device); `rdev` the device number.
    func mknod(parent: InodeNumber, name: String, mode: UInt32, rdev: UInt64, context: CallerContext) async throws(FSError) -> EntryReply
    func mkdir(parent: InodeNumber, name: String, mode: UInt32, context: CallerContext) async throws(FSError) -> EntryReply
    func unlink(parent: InodeNumber, name: String) async throws(FSError)
    func rmdir(parent: InodeNumber, name: String) async throws(FSError)
    /// `flags`: RENAME_NOREPLACE (1) / RENAME_EXCHANGE (2) from renameat2.
    func rename(parent: InodeNumber, name: String, newParent: InodeNumber, newName: String, flags: UInt32) async throws(FSError)
    /// `flags` are the open(2) flags. Returns the handle and whether the kernel may keep its page cache.
    func open(_ ino: InodeNumber, flags: Int32, context: CallerContext) async throws(FSError) -> (handle: HandleNumber, keepCache: Bool)
    func create(parent: InodeNumber, name: String, mode: UInt32, flags: Int32, context: CallerContext) async throws(FSError) -> (EntryReply, handle: HandleNumber)
    func read(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, size: Int) async throws(FSError) -> Data
    func write(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, data: Data) async throws(FSError) -> Int
    func flush(_ ino: InodeNumber, handle: HandleNumber) async throws(FSError)
    func fsync(_ ino: InodeNumber, handle: HandleNumber, dataOnly: Bool) async throws(FSError)
    func release(_ ino: InodeNumber, handle: HandleNumber) async throws(FSError)
    func opendir(_ ino: InodeNumber) async throws(FSError) -> HandleNumber
    /// Entries after the cookie `offset`, at most `limit`; with `plus`, each carries an `EntryReply`.
    func readdir(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, limit: Int, plus: Bool) async throws(FSError) -> [DirectoryEntry]
    func releasedir(_ ino: InodeNumber, handle: HandleNumber) async
    func statfs(_ ino: InodeNumber) async throws(FSError) -> FileSystemStatistics
    func access(_ ino: InodeNumber, mask: Int32, context: CallerContext) async throws(FSError)
    func getxattr(_ ino: InodeNumber, name: String) async throws(FSError) -> Data
    func listxattr(_ ino: InodeNumber) async throws(FSError) -> [String]
    func setxattr(_ ino: InodeNumber, name: String, value: Data, flags: Int32) async throws(FSError)
    func removexattr(_ ino: InodeNumber, name: String) async throws(FSError)
    /// Uploads every open file holding unsaved writes (a stop while files are open); failures are
    /// logged per file and counted, never thrown.
    func flushAll() async -> FlushReport
}

/// Mount-wide settings that the file system and the binding share (from `-o` options). Their
/// defaults live here only (`defaults`); the command line and its help take them from here.
public struct MountConfiguration: Sendable, Equatable {
    /// Every setting at its default.
    public static let defaults = MountConfiguration()

    /// Key prefix the mount root maps to ("" or "dir/"; always ends with "/" when non-empty).
    public var prefix: String
    public var attributeTimeout: Double
    public var negativeTimeout: Double
    public var uid: UInt32
    public var gid: UInt32
    public var umask: UInt32
    public var readOnly: Bool
    /// Parallel requests the file system may issue (prefetch, multipart, link targets).
    public var parallelism: Int
    /// Objects at or above this size are uploaded with multipart, in parts of `partSize`.
    public var multipartThreshold: Int64
    public var partSize: Int64
    /// Upper bound of prefetched bytes held per open file.
    public var maxPrefetchBytes: Int64
    /// Directory for staged writes.
    public var stagingDirectory: String
    /// Mount point path, used to resolve absolute link targets that point into the mount.
    public var mountPoint: String
    /// Listing-only mode (`-o listing_only`): entries known from a listing show the mount's default
    /// mode, owner and Last-Modified instead of their stored attributes, saving one HEAD per listed
    /// entry. Off by default: every answer carries the stored attributes, whatever path made it.
    /// Unsafe with `allow_other` (a chmod 600 file would show 0644 to other users).
    public var listingOnly: Bool = false
    /// `-o restore_on_open`: opening an Archive, Cold Archive or Deep Cold Archive file that is not
    /// restored starts its restore (1 day) and fails with ENODATA. Off by default: such opens succeed
    /// and reads fail with ENODATA (see `OSSFileSystem+Archive.swift`).
    public var restoreOnOpen: Bool = false
    /// Ranged GETs (of `StagedFile.loadChunk` bytes each, held in memory until written) one file's
    /// copy into staging keeps in flight; nil: `parallelism`. Set by `MemoryBudget`.
    public var stagingLoadsInFlight: Int? = nil
    /// Most paths plus listed names the attribute and listing caches hold; beyond it entries are
    /// forgotten (asked of the store again). nil: `AttributeCache.defaultMaxEntries`. Set by `MemoryBudget`.
    public var maxCachedEntries: Int? = nil
    /// `-o cache_dir=`: the local data cache (see `DataCache`); nil (the default): none.
    public var dataCache: DataCacheConfiguration? = nil

    public init(prefix: String = "", attributeTimeout: Double = 60, negativeTimeout: Double = 5,
                uid: UInt32 = 0, gid: UInt32 = 0, umask: UInt32 = 0o022, readOnly: Bool = false,
                parallelism: Int = 16, multipartThreshold: Int64 = 32 << 20, partSize: Int64 = 16 << 20,
                maxPrefetchBytes: Int64 = 256 << 20, stagingDirectory: String = "/tmp", mountPoint: String = "") {
        self.prefix = prefix; self.attributeTimeout = attributeTimeout; self.negativeTimeout = negativeTimeout
        self.uid = uid; self.gid = gid; self.umask = umask; self.readOnly = readOnly; self.parallelism = parallelism
        self.multipartThreshold = multipartThreshold; self.partSize = partSize
        self.maxPrefetchBytes = maxPrefetchBytes; self.stagingDirectory = stagingDirectory; self.mountPoint = mountPoint
    }
}
