import Foundation
import OSSProtocol

extension OSSFileSystem {
    public func open(_ ino: InodeNumber, flags: Int32, context: RequestContext) async throws(FSError) -> (handle: HandleNumber, keepCache: Bool) {
        let path = try path(of: ino)
        let writes = flags & O_ACCMODE != O_RDONLY || flags & O_TRUNC != 0
        if writes { try requireWritable() }
        let stat = writes ? try await fullStat(path) : try await stat(path)
        switch stat.kind {
        case .directory: throw FSError(EISDIR)
        case .symlink: throw FSError(ELOOP)
        case .file: break
        }
        if writes {
            let truncate = flags & O_TRUNC != 0
            let handle = try await openForWriting(ino, path: path, stat: stat, truncate: truncate)
            return (handle, false)
        }
        let keepCache = handles.noteOpen(ino, etag: stat.etag)
        let prefetcher = Prefetcher(store: store, key: keys.objectKey(path), size: stat.size, configuration: configuration)
        let handle = handles.add(FileHandle(ino: ino, path: path, prefetcher: prefetcher, staged: nil,
                                            metadata: stat.userMetadata ?? [:], contentType: stat.contentType,
                                            openedSize: stat.size))
        return (handle, keepCache)
    }

    /// O_CREAT: puts an empty object with forbid-overwrite first, so the name exists at once and
    /// O_EXCL is atomic on the server (409 -> EEXIST). Without O_EXCL an existing file is opened.
    public func create(parent: InodeNumber, name: String, mode: UInt32, flags: Int32,
                       context: RequestContext) async throws(FSError) -> (EntryReply, handle: HandleNumber) {
        try requireWritable()
        let path = try await newChildPath(parent: parent, name: name)
        let metadata = newObjectMetadata(mode: UInt32(S_IFREG) | (mode & 0o7777))
        do throws(FSError) {
            try await requireAbsent(path)
            let etag = try await mappingErrors {
                try await store.putObject(keys.objectKey(path), body: .bytes(Data()),
                                          options: WriteOptions(userMetadata: metadata, forbidOverwrite: true))
            }
            let stat = NodeStat(kind: .file, size: 0, mtime: clock(), etag: etag, userMetadata: metadata, objectType: .normal)
            noteCreated(path, stat)
            let reply = entry(path, stat)
            let handle = try await openForWriting(reply.attributes.ino, path: path, stat: stat, truncate: true,
                                                  alreadyStored: true)
            return (reply, handle)
        } catch where error.errno == EEXIST && flags & O_EXCL == 0 {
            cache.invalidate(path)
            let reply = entry(path, try await stat(path))
            if reply.attributes.mode & UInt32(S_IFMT) == UInt32(S_IFDIR) {
                forget(reply.attributes.ino, lookups: 1)
                throw FSError(EISDIR)
            }
            do {
                let opened = try await open(reply.attributes.ino, flags: flags, context: context)
                return (reply, opened.handle)
            } catch {
                forget(reply.attributes.ino, lookups: 1)
                throw error
            }
        }
    }

    /// A writing handle: `truncate` starts from empty (dirty, so the empty content is uploaded),
    /// `alreadyStored` from the object just put by create (clean), else from the existing content,
    /// fetched only when needed. Parts written sequentially may upload in the background.
    func openForWriting(_ ino: InodeNumber, path: String, stat: NodeStat, truncate: Bool,
                        alreadyStored: Bool = false) async throws(FSError) -> HandleNumber {
        var metadata = stat.userMetadata ?? [:]
        // The new version's mtime is its Last-Modified, unless setattr sets one meanwhile.
        metadata[PosixMetadata.mtime] = nil
        let options = WriteOptions(userMetadata: metadata, contentType: stat.contentType)
        let staged = try await mappingErrors {
            let startEmpty = truncate && !alreadyStored
            return try StagedFile(store: store, key: keys.objectKey(path), configuration: configuration,
                                  initialSize: startEmpty ? 0 : stat.size, loadExisting: !startEmpty)
        }
        staged.enableBackgroundUpload(options: options)
        handles.contentChanged(ino)
        return handles.add(FileHandle(ino: ino, path: path, prefetcher: nil, staged: staged,
                                      metadata: metadata, contentType: stat.contentType))
    }

    public func read(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, size: Int) async throws(FSError) -> Data {
        guard let open = handles.file(handle) else { throw FSError(EBADF) }
        return try await mappingErrors {
            if let staged = open.staged { return try await staged.read(offset: Int64(offset), size: size) }
            // Another handle's unsaved writes are the newest content.
            if let dirty = handles.writers(of: ino).compactMap(\.staged).first(where: \.isDirty) {
                return try await dirty.read(offset: Int64(offset), size: size)
            }
            return try await open.prefetcher?.read(offset: Int64(offset), size: size) ?? Data()
        }
    }

    public func write(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, data: Data) async throws(FSError) -> Int {
        guard let open = handles.file(handle) else { throw FSError(EBADF) }
        guard let staged = open.staged else { throw FSError(EBADF) }
        return try await mappingErrors { try await staged.write(offset: Int64(offset), data: data) }
    }

    public func flush(_ ino: InodeNumber, handle: HandleNumber) async throws(FSError) {
        guard let open = handles.file(handle) else { throw FSError(EBADF) }
        try await upload(open)
    }

    public func fsync(_ ino: InodeNumber, handle: HandleNumber, dataOnly: Bool) async throws(FSError) {
        guard let open = handles.file(handle) else { throw FSError(EBADF) }
        try await upload(open)
    }

    public func release(_ ino: InodeNumber, handle: HandleNumber) async throws(FSError) {
        guard let open = handles.file(handle) else { throw FSError(EBADF) }
        defer {
            _ = handles.remove(handle)
            open.staged?.discard()
            open.prefetcher?.close()
        }
        try await upload(open)
    }

    /// Uploads a handle's staged content when it holds unsaved writes; the upload's error is the
    /// caller's (close/fsync fail). A file unlinked while open is not brought back.
    func upload(_ open: FileHandle) async throws(FSError) {
        guard let staged = open.staged, staged.isDirty, !handles.isUnlinked(open.ino) else { return }
        let now = clock()
        var metadata = open.metadata
        let pending = handles.takePending(open.ino)
        metadata.merge(pending) { $1 }
        let etag: String
        do {
            etag = try await staged.upload(options: WriteOptions(userMetadata: metadata, contentType: open.contentType))
        } catch {
            handles.addPending(open.ino, pending)
            let mapped = ErrnoMapping.fsError(error)
            log("upload of \(keys.objectKey(open.path)) failed: \(error) -> \(mapped)")
            throw mapped
        }
        handles.contentChanged(open.ino)
        var path = open.path
        if let current = inodes.path(of: open.ino), !current.utf8.elementsEqual(open.path.utf8) {
            // Renamed while open: the staged copy went to the key it was opened with; move it on.
            try await mappingErrors {
                try await store.copyObject(from: keys.objectKey(open.path), to: keys.objectKey(current), replacing: nil)
                try await store.deleteObject(keys.objectKey(open.path))
            }
            cache.invalidate(open.path)
            path = current
        }
        let stat = NodeStat(kind: .file, size: staged.size, mtime: PosixMetadata.mtime(metadata) ?? now, etag: etag,
                            userMetadata: metadata, objectType: .normal, contentType: open.contentType)
        noteCreated(path, stat)
    }

    /// Uploads every handle of `ino` holding unsaved writes (before a rename copies the object).
    func flushWriters(of ino: InodeNumber) async throws(FSError) {
        for open in handles.writers(of: ino) { try await upload(open) }
    }
}
