import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// chmod/chown/utimens persist as `x-oss-meta-mode|uid|gid|mtime` (CopyObject onto itself with
    /// REPLACE; links are put again), or at the next upload while a handle holds unsaved writes.
    /// A size change truncates through the open handle, or by rewriting the object.
    public func setattr(_ ino: InodeNumber, changes: AttributeChanges, handle: HandleNumber?,
                        context: RequestContext) async throws(FSError) -> (FileAttributes, timeout: Double) {
        try requireWritable()
        let path = try path(of: ino)
        var stat = try await fullStat(path)
        let current = attributes(ino, stat)
        try checkPermission(changes, current, context)

        if let size = changes.size {
            if stat.kind == .directory { throw FSError(EISDIR) }
            if stat.kind == .symlink { throw FSError(EINVAL) }
            stat = try await truncate(ino, path: path, stat: stat, to: Int64(size), handle: handle)
        }

        var metadata: [String: String] = [:]
        if let mode = changes.mode { metadata[PosixMetadata.mode] = String((current.mode & UInt32(S_IFMT)) | (mode & 0o7777)) }
        if let uid = changes.uid { metadata[PosixMetadata.uid] = String(uid) }
        if let gid = changes.gid { metadata[PosixMetadata.gid] = String(gid) }
        if let mtime = changes.mtime { metadata[PosixMetadata.mtime] = PosixMetadata.format(mtime) }
        if !metadata.isEmpty {
            if stat.kind == .file, handles.liveSize(of: ino) != nil {
                handles.addPending(ino, metadata)
                stat.userMetadata = (stat.userMetadata ?? [:]).merging(metadata) { $1 }
            } else {
                stat = try await persistMetadata(path, stat, (stat.userMetadata ?? [:]).merging(metadata) { $1 })
            }
            if let mtime = changes.mtime { stat.mtime = mtime }
            noteCreated(path, stat)
        }
        if let live = handles.liveSize(of: ino) { stat.size = live }
        return (attributes(ino, stat), configuration.attributeTimeout)
    }

    private func checkPermission(_ changes: AttributeChanges, _ current: FileAttributes, _ context: RequestContext) throws(FSError) {
        guard context.uid != 0 else { return }
        if changes.mode != nil && context.uid != current.uid { throw FSError(EPERM) }
        if let uid = changes.uid, uid != current.uid { throw FSError(EPERM) }
        if changes.gid != nil && context.uid != current.uid { throw FSError(EPERM) }
        if changes.mtime != nil || changes.atime != nil,
           context.uid != current.uid, !Permissions.allows(current, mask: W_OK, context: context) {
            throw FSError(EPERM)
        }
        if changes.size != nil, !Permissions.allows(current, mask: W_OK, context: context) { throw FSError(EACCES) }
    }

    /// Writes `metadata` as the whole user metadata of the object behind `path`; returns the new stat.
    func persistMetadata(_ path: String, _ stat: NodeStat, _ metadata: [String: String]) async throws(FSError) -> NodeStat {
        var stat = stat
        try await mappingErrors {
            switch stat.kind {
            case .file:
                let key = keys.objectKey(path)
                try await store.copyObject(from: key, to: key,
                                           replacing: WriteOptions(userMetadata: metadata, contentType: stat.contentType))
            case .symlink:
                let key = keys.objectKey(path)
                if let target = stat.linkTargetKey {
                    try await store.putSymlink(key, target: target, options: WriteOptions(userMetadata: metadata))
                } else {
                    try await store.copyObject(from: key, to: key, replacing: WriteOptions(userMetadata: metadata))
                }
            case .directory:
                // The bucket root has no object to carry attributes: accepted, not kept.
                guard !path.isEmpty || !keys.prefix.isEmpty else { return }
                let marker = keys.directoryPrefix(path)
                if stat.hasMarker {
                    try await store.copyObject(from: marker, to: marker, replacing: WriteOptions(userMetadata: metadata))
                } else {
                    stat.etag = try await store.putObject(marker, body: .bytes(Data()), options: WriteOptions(userMetadata: metadata))
                    stat.hasMarker = true
                }
            }
        }
        stat.userMetadata = metadata
        if let mtime = PosixMetadata.mtime(metadata) { stat.mtime = mtime }
        handles.contentChanged(inodes.inode(of: path) ?? 0)
        return stat
    }

    /// Truncates through a writing handle (the kernel's ftruncate, or any writer of the inode),
    /// else rewrites the object at the new size.
    private func truncate(_ ino: InodeNumber, path: String, stat: NodeStat, to size: Int64,
                          handle: HandleNumber?) async throws(FSError) -> NodeStat {
        var stat = stat
        let writer = handle.flatMap { handles.file($0) }.flatMap(\.staged) ?? handles.writers(of: ino).first?.staged
        if let writer {
            try await mappingErrors { try await writer.truncate(to: size) }
            stat.size = size
            return stat
        }
        let now = clock()
        var metadata = stat.userMetadata ?? [:]
        metadata[PosixMetadata.mtime] = nil  // the new version's Last-Modified is its mtime
        let key = keys.objectKey(path)
        let options = WriteOptions(userMetadata: metadata, contentType: stat.contentType)
        let store = self.store, configuration = self.configuration, oldSize = stat.size
        stat.etag = try await mappingErrors {
            if size == 0 { return try await store.putObject(key, body: .bytes(Data()), options: options) }
            let staged = try StagedFile(store: store, key: key, configuration: configuration, initialSize: oldSize,
                                        loadExisting: true, baseETag: stat.versionETag)
            defer { staged.discard() }
            try await staged.truncate(to: size)
            return try await staged.upload(options: options)
        }
        stat.size = size
        stat.mtime = now
        stat.userMetadata = metadata
        handles.contentChanged(ino)
        followReaders(of: ino, etag: stat.etag, size: size)
        noteCreated(path, stat)
        return stat
    }
}
