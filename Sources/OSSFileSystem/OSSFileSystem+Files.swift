import Foundation
import OSSProtocol

extension OSSFileSystem {
    public func open(_ ino: InodeNumber, flags: Int32, context: CallerContext) async throws(FSError) -> (handle: HandleNumber, keepCache: Bool) {
        let path = try path(of: ino)
        let writes = flags & O_ACCMODE != O_RDONLY || flags & O_TRUNC != 0
        if writes { try requireWritable() }
        // A second writer of a file created here and not stored yet: store it first, so the new
        // handle starts from its content.
        if writes, handles.unstored(ino) != nil { try await flushWriters(of: ino) }
        let stat = writes ? try await fullStat(path) : try await stat(path)
        switch stat.kind {
        case .directory: throw FSError(EISDIR)
        case .symlink: throw FSError(ELOOP)
        case .special: throw FSError(ENXIO)  // the kernel opens FIFOs and devices itself
        case .file: break
        }
        if writes {
            let truncate = flags & O_TRUNC != 0
            let handle = try await openForWriting(ino, path: path, stat: stat, truncate: truncate, context: context)
            return (handle, false)
        }
        if configuration.restoreOnOpen && RestoreStatus.needsRestore(stat.storageClass) { try await requireRestored(path) }
        let keepCache = handles.noteOpen(ino, etag: stat.etag)
        let prefetcher = Prefetcher(store: store, key: keys.objectKey(path), size: stat.size, etag: stat.versionETag,
                                    configuration: configuration, cache: dataCache)
        let handle = handles.add(OpenFileRecord(ino: ino, path: path, prefetcher: prefetcher, staged: nil,
                                            metadata: stat.userMetadata ?? [:], contentType: stat.contentType,
                                            contentHeaders: stat.contentHeaders, openedSize: stat.size))
        return (handle, keepCache)
    }

    /// O_CREAT: the file exists locally at once (lookups, getattr and readdir here see it) and its
    /// object is created by the handle's first upload (flush/fsync/release): one PutObject per new
    /// file, even when nothing is written (a 0-byte object). A name known to exist gives EEXIST at
    /// once with O_EXCL, else the existing file is opened. With O_EXCL the first upload also carries
    /// forbid-overwrite, so a name another writer made meanwhile is never replaced (close: EIO).
    public func create(parent: InodeNumber, name: String, mode: UInt32, flags: Int32,
                       context: CallerContext) async throws(FSError) -> (EntryReply, handle: HandleNumber) {
        try requireWritable()
        let path = try await newChildPath(parent: parent, name: name)
        do throws(FSError) {
            try await requireAbsent(path)
        } catch where error.errno == EEXIST && flags & O_EXCL == 0 {
            return try await openExisting(path, flags: flags, context: context)
        }
        let metadata = newObjectMetadata(mode: UInt32(S_IFREG) | (mode & 0o7777), context: context)
        let stat = NodeStat(kind: .file, size: 0, mtime: now(), etag: nil, userMetadata: metadata, objectType: .normal)
        let exclusive = flags & O_EXCL != 0
        noteCreated(path, stat)
        let reply = entry(path, stat)
        let ino = reply.attributes.ino
        handles.markUnstored(ino, .init(exclusive: exclusive, stat: stat))
        do throws(FSError) {
            let handle = try await openForWriting(ino, path: path, stat: stat, truncate: true, context: context,
                                                  forbidOverwrite: exclusive)
            return (reply, handle)
        } catch {
            handles.markStored(ino)
            noteRemoved(path, directory: false)
            forget(ino, lookups: 1)
            throw error
        }
    }

    /// O_CREAT without O_EXCL on an existing name: opens it (EISDIR for a directory).
    private func openExisting(_ path: String, flags: Int32, context: CallerContext) async throws(FSError) -> (EntryReply, handle: HandleNumber) {
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

    /// A writing handle: `truncate` starts from empty (dirty, so the empty content is uploaded),
    /// else from the existing content, fetched only when needed. Parts written sequentially may
    /// upload in the background (with the options the final upload will use).
    func openForWriting(_ ino: InodeNumber, path: String, stat: NodeStat, truncate: Bool, context: CallerContext,
                        forbidOverwrite: Bool = false) async throws(FSError) -> HandleNumber {
        var metadata = stat.userMetadata ?? [:]
        // Times are the upload's (see `upload`); parts sent early must not carry the old ones.
        metadata[PosixMetadata.mtime] = nil
        metadata[PosixMetadata.ctime] = nil
        let staged = try await mappingErrors {
            try StagedFile(store: store, key: keys.objectKey(path), configuration: configuration,
                           initialSize: truncate ? 0 : stat.size, loadExisting: !truncate, baseETag: stat.versionETag)
        }
        staged.enableBackgroundUpload(options: stat.writeOptions(metadata, forbidOverwrite: forbidOverwrite))
        handles.contentChanged(ino)
        return handles.add(OpenFileRecord(ino: ino, path: path, prefetcher: nil, staged: staged,
                                      metadata: metadata, contentType: stat.contentType,
                                      contentHeaders: stat.contentHeaders,
                                      unprivilegedWriter: context.uid == 0 ? nil : context))
    }

    public func read(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, size: Int) async throws(FSError) -> Data {
        guard let open = handles.file(handle) else { throw FSError(EBADF) }
        return try await readingData(open.path) {
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
        let written = try await mappingErrors { try await staged.write(offset: Int64(offset), data: data) }
        handles.noteModified(ino, at: now())
        if let writer = open.unprivilegedWriter { dropPrivileges(open, writer: writer) }
        return written
    }

    /// A write by an unprivileged user clears setuid/setgid (at the next upload, and at once in
    /// what stat shows), as on a local disk: page-cache writes have the kernel ask for it with a
    /// setattr, but direct writes do not.
    private func dropPrivileges(_ open: OpenFileRecord, writer: CallerContext) {
        guard var stat = cachedStat(open.path), let mode = PosixMetadata.mode(stat.userMetadata ?? [:]) else { return }
        let inGroup = writer.gid == (PosixMetadata.gid(stat.userMetadata ?? [:]) ?? configuration.gid)
        let cleared = Permissions.withoutPrivileges(mode, inGroup: inGroup)
        guard cleared != mode else { return }
        let change = [PosixMetadata.mode: String(cleared)]
        handles.addPending(open.ino, change)
        stat.userMetadata = (stat.userMetadata ?? [:]).merging(change) { $1 }
        noteCreated(open.path, stat, entryAdded: false)
        attributesChanged(open.ino)
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
            let unstored = handles.unstored(open.ino) != nil
            _ = handles.remove(handle)
            // A file created here whose upload never succeeded does not exist: forget the local view.
            if unstored && handles.unstored(open.ino) == nil { superblock.invalidate(open.path) }
            open.staged?.discard()
            open.prefetcher?.close()
        }
        try await upload(open)
    }

    /// Uploads a handle's staged content when it holds unsaved writes; the upload's error is the
    /// caller's (close/fsync fail). A file unlinked while open is not brought back. The first upload
    /// of a file created here creates its object (forbid-overwrite for O_EXCL).
    func upload(_ open: OpenFileRecord) async throws(FSError) {
        guard let staged = open.staged, staged.isDirty, !handles.isUnlinked(open.ino) else { return }
        var metadata = open.metadata
        let pending = handles.takePending(open.ino)
        metadata.merge(pending) { $1 }
        let unstored = handles.unstored(open.ino)
        var options = open.writeOptions(metadata, forbidOverwrite: unstored?.exclusive ?? false)
        // The content's time (the last write or truncate here) unless utimens set one after it;
        // except where parts already went up in the background with the options of the open: a
        // new time would send them all again, so that version's mtime is its Last-Modified.
        let timesStored = staged.backgroundUploadOptions != options || pending[PosixMetadata.mtime] != nil
        if timesStored && pending[PosixMetadata.mtime] == nil {
            options.userMetadata = PosixMetadata.touched(metadata, at: handles.modified(open.ino) ?? now())
        }
        metadata = options.userMetadata
        let started = Date()
        let etag: String
        do {
            etag = try await staged.upload(options: options)
        } catch {
            handles.addPending(open.ino, pending)
            var mapped = ErrnoMapping.fsError(error)
            if unstored?.exclusive == true, ErrnoMapping.isAlreadyExists(error) {
                // O_EXCL create, but another writer made the name meanwhile: theirs stays (every
                // later upload of this handle is refused the same way).
                log("upload of \(keys.objectKey(open.path)) refused: created with O_EXCL, the name exists now")
                superblock.invalidate(open.path)
                mapped = FSError(EIO)
            } else {
                log("upload of \(keys.objectKey(open.path)) failed: \(error) -> \(mapped)")
            }
            throw mapped
        }
        handles.markStored(open.ino)
        handles.contentChanged(open.ino)
        // The blocks of the versions before are of no use any more (the new one has another ETag).
        dataCache?.drop(key: keys.objectKey(open.path))
        followReaders(of: open.ino, etag: etag, size: staged.size)
        logLargeUpload(open.path, size: staged.size, started: started)
        guard timesStored else { return superblock.invalidate(open.path) }  // the next stat reads Last-Modified
        var stat = NodeStat(kind: .file, size: staged.size, mtime: now(), etag: etag,
                            userMetadata: metadata, objectType: .normal, contentType: open.contentType)
        stat.contentHeaders = open.contentHeaders
        noteCreated(open.path, stat, entryAdded: false)
    }

    /// Uploads every handle of `ino` holding unsaved writes (before a rename copies the object).
    func flushWriters(of ino: InodeNumber) async throws(FSError) {
        for open in handles.writers(of: ino) { try await upload(open) }
    }

    /// Moves the reading handles of `ino` to the version this mount has just stored (`etag`, nil
    /// when not known), so they read it rather than fail as readers of a replaced object.
    func followReaders(of ino: InodeNumber, etag: String?, size: Int64) {
        for reader in handles.readers(of: ino) { reader.prefetcher?.follow(etag: etag, size: size) }
    }
}
