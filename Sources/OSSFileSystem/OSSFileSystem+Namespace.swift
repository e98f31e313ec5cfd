import Foundation
import OSSProtocol

extension OSSFileSystem {
    public func readlink(_ ino: InodeNumber) async throws(FSError) -> String {
        let path = try path(of: ino)
        var stat = try await stat(path)
        guard stat.kind == .symlink else { throw FSError(EINVAL) }
        if stat.linkText == nil {
            superblock.invalidate(path)
            stat = try await self.stat(path)
        }
        guard let text = stat.linkText else { throw FSError(EINVAL) }
        return text
    }

    /// `ln -s`: a native link when the text resolves inside the mount, a legacy one otherwise
    /// (see `SymlinkTarget`); forbid-overwrite makes an existing name EEXIST.
    public func symlink(parent: InodeNumber, name: String, target: String, context: CallerContext) async throws(FSError) -> EntryReply {
        try requireWritable()
        let path = try await newChildPath(parent: parent, name: name)
        let representation = try SymlinkTarget.representation(text: target, linkPath: path, prefix: keys.prefix,
                                                               mountPoint: configuration.mountPoint)
        try await requireAbsent(path)
        let created = now()
        var metadata = PosixMetadata.newObject(mode: UInt32(S_IFLNK) | 0o777, owner: context, now: created)
        metadata[PosixMetadata.mode] = nil  // a native link is a link by its type; legacy ones add it below
        var stat = NodeStat(kind: .symlink, size: Int64(target.utf8.count), mtime: created, etag: nil, userMetadata: nil)
        stat.linkText = target
        switch representation {
        case .native(let targetKey, let kept):
            if let kept { metadata[SymlinkTarget.keptTextMetadata] = SymlinkTarget.percentEncode(kept) }
            try await creating(path) {
                try await store.putSymlink(keys.objectKey(path), target: targetKey,
                                           options: WriteOptions(userMetadata: metadata, forbidOverwrite: true))
            }
            stat.linkTargetKey = targetKey
            stat.objectType = .symlink
        case .legacy(let text):
            stat.objectType = try await creating(path) {
                try await writeLegacyLink(path, text: text, metadata: metadata, replacing: false)
            }
            metadata[PosixMetadata.mode] = String(UInt32(S_IFLNK) | 0o777)
        }
        stat.userMetadata = metadata
        noteCreated(path, stat)
        return entry(path, stat)
    }

    /// A regular file, FIFO, socket or device node: an empty object whose mode metadata carries the
    /// type (and `rdev` the device number), as ossfs 1.x and s3fs store them; the kernel does the rest.
    public func mknod(parent: InodeNumber, name: String, mode: UInt32, rdev: UInt64,
                      context: CallerContext) async throws(FSError) -> EntryReply {
        try requireWritable()
        var type = mode & UInt32(S_IFMT)
        if type == 0 { type = UInt32(S_IFREG) }
        guard type == UInt32(S_IFREG) || PosixMetadata.specialTypes.contains(type) else { throw FSError(EINVAL) }
        let path = try await newChildPath(parent: parent, name: name)
        try await requireAbsent(path)
        var metadata = newObjectMetadata(mode: type | (mode & 0o7777), context: context)
        let isDevice = type == UInt32(S_IFCHR) || type == UInt32(S_IFBLK)
        if isDevice { metadata[PosixMetadata.rdev] = String(rdev) }
        let etag = try await creating(path) {
            try await store.putObject(keys.objectKey(path), body: .bytes(Data()),
                                      options: WriteOptions(userMetadata: metadata, forbidOverwrite: true))
        }
        let stat = NodeStat(kind: type == UInt32(S_IFREG) ? .file : .special, size: 0, mtime: now(), etag: etag,
                            userMetadata: metadata, objectType: .normal)
        noteCreated(path, stat)
        return entry(path, stat)
    }

    /// Writes the marker `d/` carrying the mode in its metadata.
    public func mkdir(parent: InodeNumber, name: String, mode: UInt32, context: CallerContext) async throws(FSError) -> EntryReply {
        try requireWritable()
        let path = try await newChildPath(parent: parent, name: name)
        if keys.directoryPrefix(path).utf8.count > SymlinkTarget.maxKeyBytes { throw FSError(ENAMETOOLONG) }
        try await requireAbsent(path)
        let metadata = newObjectMetadata(mode: UInt32(S_IFDIR) | (mode & 0o7777), context: context)
        let etag = try await creating(path) {
            try await store.putObject(keys.directoryPrefix(path), body: .bytes(Data()),
                                      options: WriteOptions(userMetadata: metadata, forbidOverwrite: true))
        }
        let stat = NodeStat.directory(mtime: now(), marker: true, metadata: metadata, etag: etag)
        noteCreated(path, stat)
        superblock.noteEmptyDirectory(path)
        return entry(path, stat)
    }

    public func unlink(parent: InodeNumber, name: String) async throws(FSError) {
        try requireWritable()
        let parentPath = try path(of: parent)
        let path = KeyMapping.child(parentPath, name)
        let stat = try await stat(path)
        if stat.kind == .directory { throw FSError(EISDIR) }
        try await mappingErrors { try await store.deleteObject(keys.objectKey(path)) }
        if let ino = inodes.inode(of: path) { handles.markUnlinked(ino) }
        noteRemoved(path, directory: false)
        try await keepDirectory(parentPath)
    }

    /// ENOTEMPTY when any key other than the marker lies under the prefix.
    public func rmdir(parent: InodeNumber, name: String) async throws(FSError) {
        try requireWritable()
        let path = KeyMapping.child(try path(of: parent), name)
        let dirPrefix = keys.directoryPrefix(path)
        if try await stat(path).kind != .directory { throw FSError(ENOTDIR) }
        try await mappingErrors {
            let page = try await store.listObjects(prefix: dirPrefix, delimiter: nil, continuationToken: nil, maxKeys: 2)
            if page.contents.contains(where: { !$0.key.utf8.elementsEqual(dirPrefix.utf8) }) { throw FSError(ENOTEMPTY) }
            try await store.deleteObject(dirPrefix)
        }
        noteRemoved(path, directory: true)
        try await keepDirectory(KeyMapping.parent(of: path))
    }

    // MARK: - Helpers shared by the operations that create names

    /// The path of a new child, after checking the name (ENAMETOOLONG, EINVAL), that the parent is a
    /// directory (ENOTDIR) and that the key fits (ENAMETOOLONG).
    func newChildPath(parent: InodeNumber, name: String) async throws(FSError) -> String {
        if name.utf8.count > 255 { throw FSError(ENAMETOOLONG) }
        guard KeyMapping.isValidName(name) else { throw FSError(EINVAL) }
        let parentPath = try path(of: parent)
        if try await stat(parentPath).kind != .directory { throw FSError(ENOTDIR) }
        let path = KeyMapping.child(parentPath, name)
        if keys.objectKey(path).utf8.count > SymlinkTarget.maxKeyBytes { throw FSError(ENAMETOOLONG) }
        return path
    }

    /// EEXIST when `path` names anything (a directory without an object under the key included).
    func requireAbsent(_ path: String) async throws(FSError) {
        do throws(FSError) {
            _ = try await stat(path)
        } catch where error.errno == ENOENT {
            return
        }
        throw FSError(EEXIST)
    }

    /// Runs a store write that creates `path` with forbid-overwrite. EEXIST there means the caches
    /// wrongly said "absent" (another writer made the name): they forget `path` and its parent's listing.
    func creating<T>(_ path: String, _ body: () async throws -> T) async throws(FSError) -> T {
        do {
            return try await body()
        } catch {
            let mapped = ErrnoMapping.fsError(error)
            if mapped.errno == EEXIST { superblock.invalidate(path) }
            throw mapped
        }
    }

    /// The metadata of a new object made by `context` now (see `PosixMetadata.newObject`).
    func newObjectMetadata(mode: UInt32, context: CallerContext) -> [String: String] {
        PosixMetadata.newObject(mode: mode, owner: context, now: now())
    }

    /// Writes a marker for `directory` when it was implicit and its last key just went, so removing
    /// a directory's last entry does not remove the directory (as on a local disk). One listing of
    /// one key while others remain, and nothing cached is dropped then: `rm -rf` of an implicit
    /// directory costs a DeleteObject and this listing per file, not a lookup of every next name.
    func keepDirectory(_ directory: String) async throws(FSError) {
        guard !directory.isEmpty, cachedStat(directory)?.hasMarker != true else { return }
        let dirPrefix = keys.directoryPrefix(directory)
        let emptied = try await mappingErrors {
            let page = try await store.listObjects(prefix: dirPrefix, delimiter: nil, continuationToken: nil, maxKeys: 1)
            guard page.contents.isEmpty else { return false }
            try await store.putObject(dirPrefix, body: .bytes(Data()),
                                      options: WriteOptions(userMetadata: newObjectMetadata(mode: UInt32(S_IFDIR) | (0o755 & ~configuration.umask),
                                                                                            context: CallerContext(uid: configuration.uid, gid: configuration.gid))))
            return true
        }
        if emptied { superblock.invalidate(directory) }
    }
}
