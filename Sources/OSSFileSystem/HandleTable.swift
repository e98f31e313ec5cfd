import Foundation
import Synchronization
import OSSProtocol

/// One open file: reads go through its prefetcher, or through its staged copy when it writes.
struct OpenFileRecord: Sendable {
    var ino: InodeNumber
    /// The path whose key the staged copy uploads to (updated when the file is renamed while open).
    var path: String
    var prefetcher: Prefetcher?
    var staged: StagedFile?
    /// User metadata of the object when opened for writing, carried into the upload.
    var metadata: [String: String]
    var contentType: String?
    /// The object's other content headers when opened, carried into the upload.
    var contentHeaders: [String: String] = [:]
    /// Size when opened (for an unlinked file read through this handle).
    var openedSize: Int64 = 0
    /// Opened by a user other than root (nil for root): a write through it clears setuid/setgid,
    /// as on a local disk (`Permissions.withoutPrivileges`).
    var unprivilegedWriter: CallerContext?
}

extension OpenFileRecord {
    /// The options of an upload through this handle: `userMetadata` and the content headers of
    /// the object it opened.
    func writeOptions(_ userMetadata: [String: String], forbidOverwrite: Bool = false) -> WriteOptions {
        WriteOptions(userMetadata: userMetadata, contentType: contentType, forbidOverwrite: forbidOverwrite,
                     contentHeaders: contentHeaders)
    }
}

/// Open file and directory handles, plus per-inode facts that outlive one handle: metadata changes
/// waiting for the next upload, unlinked-while-open inodes, and the ETag seen at the last open
/// (the kernel may keep its page cache while it is unchanged).
final class HandleTable: Sendable {
    private struct State {
        var files: [HandleNumber: OpenFileRecord] = [:]
        var directories: [HandleNumber: (ino: InodeNumber, stream: DirectoryStream?)] = [:]
        var pendingMetadata: [InodeNumber: [String: String]] = [:]
        var unlinked: Set<InodeNumber> = []
        var lastOpenETag: [InodeNumber: String] = [:]
        var unstored: [InodeNumber: UnstoredFile] = [:]
        var modified: [InodeNumber: Timestamp] = [:]
        var next: HandleNumber = 1
    }

    /// A file created here whose object is not stored yet: its first upload creates it.
    struct UnstoredFile: Sendable {
        /// O_EXCL: the first upload must not replace an object another writer made meanwhile.
        var exclusive: Bool
        /// What lookups and getattr answer until then.
        var stat: NodeStat
    }

    private let state = Mutex(State())

    func add(_ handle: OpenFileRecord) -> HandleNumber {
        state.withLock { s in
            let number = s.next
            s.next += 1
            s.files[number] = handle
            return number
        }
    }

    func file(_ number: HandleNumber) -> OpenFileRecord? { state.withLock { $0.files[number] } }

    /// The staged copies of open files, each once (handles of one file may share it).
    func stagedFiles() -> [StagedFile] {
        let all = state.withLock { $0.files.values.compactMap(\.staged) }
        var seen = Set<ObjectIdentifier>()
        return all.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    func remove(_ number: HandleNumber) -> OpenFileRecord? {
        state.withLock { s in
            guard let handle = s.files.removeValue(forKey: number) else { return nil }
            if !s.files.values.contains(where: { $0.ino == handle.ino }) {
                s.pendingMetadata[handle.ino] = nil
                s.modified[handle.ino] = nil
                s.unlinked.remove(handle.ino)
                s.unstored[handle.ino] = nil
            }
            return handle
        }
    }

    /// Any handle open on `ino` (facts of a file unlinked while open).
    func anyHandle(of ino: InodeNumber) -> OpenFileRecord? {
        state.withLock { s in s.files.values.first { $0.ino == ino } }
    }

    /// The handles of `ino` opened for reading only (they read through a prefetcher).
    func readers(of ino: InodeNumber) -> [OpenFileRecord] {
        state.withLock { s in s.files.values.filter { $0.ino == ino && $0.prefetcher != nil } }
    }

    /// The writing handles open on `ino`.
    func writers(of ino: InodeNumber) -> [OpenFileRecord] {
        state.withLock { s in s.files.values.filter { $0.ino == ino && $0.staged != nil } }
    }

    /// The size of the newest local content of `ino` when a handle holds unsaved writes.
    func liveSize(of ino: InodeNumber) -> Int64? {
        writers(of: ino).compactMap { $0.staged }.first(where: { $0.isDirty })?.size
    }

    /// Metadata changes (setattr, xattr) to apply at the next upload of `ino`.
    func addPending(_ ino: InodeNumber, _ metadata: [String: String]) {
        state.withLock { $0.pendingMetadata[ino, default: [:]].merge(metadata) { $1 } }
    }

    func takePending(_ ino: InodeNumber) -> [String: String] {
        state.withLock { $0.pendingMetadata.removeValue(forKey: ino) ?? [:] }
    }

    /// The content of `ino` changed here at `time` (a write or truncate): its mtime and ctime are
    /// that time from now on, also over times set before it (a write after utimens moves mtime).
    func noteModified(_ ino: InodeNumber, at time: Timestamp) {
        state.withLock { s in
            s.modified[ino] = time
            s.pendingMetadata[ino]?[PosixMetadata.mtime] = nil
            s.pendingMetadata[ino]?[PosixMetadata.ctime] = nil
        }
    }

    /// The time of the last content change made here to `ino` while it is open.
    func modified(_ ino: InodeNumber) -> Timestamp? { state.withLock { $0.modified[ino] } }

    /// Times were set explicitly: they win over earlier content changes.
    func clearModified(_ ino: InodeNumber) { state.withLock { _ = $0.modified.removeValue(forKey: ino) } }

    /// Records that `ino` was created here and is not stored yet.
    func markUnstored(_ ino: InodeNumber, _ file: UnstoredFile) { state.withLock { $0.unstored[ino] = file } }
    /// The not-yet-stored create of `ino`, if any.
    func unstored(_ ino: InodeNumber) -> UnstoredFile? { state.withLock { $0.unstored[ino] } }
    /// `ino`'s object exists now (or never will).
    func markStored(_ ino: InodeNumber) { state.withLock { _ = $0.unstored.removeValue(forKey: ino) } }
    /// Every file created here and not stored yet.
    func unstoredFiles() -> [(InodeNumber, NodeStat)] {
        state.withLock { s in s.unstored.map { ($0.key, $0.value.stat) } }
    }

    /// The writing handles open on `ino`, with their numbers.
    func numberedWriters(of ino: InodeNumber) -> [(HandleNumber, OpenFileRecord)] {
        state.withLock { s in s.files.filter { $0.value.ino == ino && $0.value.staged != nil }.map { ($0.key, $0.value) } }
    }

    /// Every writing handle holding unsaved writes, of every inode.
    func dirtyWriters() -> [OpenFileRecord] {
        // `isDirty` takes the staged file's lock: asked outside this table's.
        state.withLock { s in s.files.values.filter { $0.staged != nil } }.filter { $0.staged?.isDirty == true }
    }

    /// Every inode with a writing handle open.
    func inodesWithWriters() -> Set<InodeNumber> {
        state.withLock { s in Set(s.files.values.filter { $0.staged != nil }.map(\.ino)) }
    }

    func inodesWithReaders() -> Set<InodeNumber> {
        state.withLock { s in Set(s.files.values.filter { $0.prefetcher != nil }.map(\.ino)) }
    }

    /// Points handle `number` at `path` and its new staged copy (after a rename).
    func retarget(_ number: HandleNumber, path: String, staged: StagedFile) {
        state.withLock { s in
            s.files[number]?.path = path
            s.files[number]?.staged = staged
        }
    }

    func markUnlinked(_ ino: InodeNumber) { state.withLock { _ = $0.unlinked.insert(ino) } }
    func isUnlinked(_ ino: InodeNumber) -> Bool { state.withLock { $0.unlinked.contains(ino) } }

    /// Records the ETag seen by an open; true when it equals the one of the previous open.
    func noteOpen(_ ino: InodeNumber, etag: String?) -> Bool {
        state.withLock { s in
            defer { s.lastOpenETag[ino] = etag }
            return etag != nil && s.lastOpenETag[ino] == etag
        }
    }

    /// Forgets the open ETag of `ino` (its content changed here).
    func contentChanged(_ ino: InodeNumber) { state.withLock { $0.lastOpenETag[ino] = nil } }

    func addDirectory(_ ino: InodeNumber) -> HandleNumber {
        state.withLock { s in
            let number = s.next
            s.next += 1
            s.directories[number] = (ino, nil)
            return number
        }
    }

    func directoryStream(_ number: HandleNumber) -> DirectoryStream? {
        state.withLock { $0.directories[number]?.stream }
    }

    func setDirectoryStream(_ number: HandleNumber, _ stream: DirectoryStream) {
        state.withLock { $0.directories[number]?.stream = stream }
    }

    func removeDirectory(_ number: HandleNumber) { state.withLock { _ = $0.directories.removeValue(forKey: number) } }
}
