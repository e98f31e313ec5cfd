import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// chmod/chown/utimens persist as `x-oss-meta-mode|uid|gid|mtime|ctime` (CopyObject onto itself
    /// with REPLACE; links are put again), or at the next upload while a handle holds unsaved writes.
    /// Every change moves ctime. A size change truncates through the open handle, or by rewriting
    /// the object; either moves mtime.
    public func setattr(_ ino: InodeNumber, changes: AttributeChanges, handle: HandleNumber?,
                        context: CallerContext) async throws(FSError) -> (FileAttributes, timeout: Double) {
        try requireWritable()
        let path = try path(of: ino)
        var stat = try await fullStat(path)
        let current = attributes(ino, withLocalWrites(ino, stat))
        let writingHandle = handle.flatMap { handles.file($0) }.flatMap(\.staged)
        try checkPermission(changes, current, context, throughWriter: writingHandle != nil)
        let time = now()

        if let size = changes.size {
            if stat.kind == .directory { throw FSError(EISDIR) }
            if stat.kind != .file { throw FSError(EINVAL) }
            stat = try await truncate(ino, path: path, stat: stat, to: Int64(size), writer: writingHandle, now: time)
        }

        var metadata: [String: String] = [:]
        if let mode = changes.mode { metadata[PosixMetadata.mode] = String((current.mode & UInt32(S_IFMT)) | (mode & 0o7777)) }
        if let uid = changes.uid { metadata[PosixMetadata.uid] = String(uid) }
        if let gid = changes.gid { metadata[PosixMetadata.gid] = String(gid) }
        if let mtime = changes.mtime { metadata[PosixMetadata.mtime] = mtime.metadataValue }
        if !metadata.isEmpty || changes.atime != nil {
            metadata[PosixMetadata.ctime] = time.metadataValue
            if changes.mtime != nil {
                handles.clearModified(ino)
                if stat.kind == .directory { superblock.noteTimesSet(onDirectory: path) }
            }
            if stat.kind == .file, handles.liveSize(of: ino) != nil {
                handles.addPending(ino, metadata)
                stat.userMetadata = (stat.userMetadata ?? [:]).merging(metadata) { $1 }
                stat.applyTimes(metadata)
            } else {
                if changes.mtime == nil, PosixMetadata.mtime(stat.userMetadata ?? [:]) == nil {
                    metadata[PosixMetadata.mtime] = stat.mtime.metadataValue  // keep it: the copy is a new Last-Modified
                }
                let stored = stat.userMetadata ?? [:]
                let merged = stored.merging(metadata) { $1 }
                if Self.changesOnlyCtime(stored, merged) {
                    // chown to the owner it has (tar -x as root, for every directory), or atime
                    // alone: nothing stored would change but ctime, which is kept here and stored
                    // with the next change that costs a request anyway. No CopyObject.
                    stat.userMetadata = merged
                    stat.applyTimes(merged)
                } else {
                    stat = try await persistMetadata(path, stat, merged)
                }
                // A writer opened before keeps the metadata of its open: its upload must not undo this.
                if !handles.writers(of: ino).isEmpty { handles.addPending(ino, metadata) }
            }
            noteCreated(path, stat, entryAdded: false)
        }
        return (attributes(ino, withLocalWrites(ino, stat)), configuration.attributeTimeout)
    }

    /// Whether `merged` differs from `stored` in nothing but ctime.
    static func changesOnlyCtime(_ stored: [String: String], _ merged: [String: String]) -> Bool {
        var stored = stored, merged = merged
        stored[PosixMetadata.ctime] = nil
        merged[PosixMetadata.ctime] = nil
        return stored == merged
    }

    /// The kernel checks permissions itself (`default_permissions`); this repeats the owner rules
    /// for the requests it passes on. A size change through a descriptor opened for writing needs
    /// no write permission now (it was checked at open), and a mode change that only clears
    /// setuid/setgid is what the kernel sends when an unprivileged user writes such a file.
    private func checkPermission(_ changes: AttributeChanges, _ current: FileAttributes, _ context: CallerContext,
                                 throughWriter: Bool) throws(FSError) {
        guard context.uid != 0 else { return }
        let owner = context.uid == current.uid
        if let mode = changes.mode, !owner {
            if !Permissions.onlyDropsPrivileges(from: current.mode, to: mode)
                || !Permissions.allows(current, mask: W_OK, context: context) { throw FSError(EPERM) }
        }
        if let uid = changes.uid, uid != current.uid { throw FSError(EPERM) }
        if changes.gid != nil && !owner { throw FSError(EPERM) }
        if changes.mtime != nil || changes.atime != nil, !owner, !Permissions.allows(current, mask: W_OK, context: context) {
            throw FSError(EPERM)
        }
        if changes.size != nil, !throughWriter, !Permissions.allows(current, mask: W_OK, context: context) {
            throw FSError(EACCES)
        }
    }

    /// Writes `metadata` as the whole user metadata of the object behind `path`; returns the new stat.
    func persistMetadata(_ path: String, _ stat: NodeStat, _ metadata: [String: String]) async throws(FSError) -> NodeStat {
        var stat = stat
        try await mappingErrors {
            switch stat.kind {
            case .file, .special:
                let key = keys.objectKey(path)
                let options = stat.writeOptions(metadata)
                if stat.objectType == .appendable {
                    stat.etag = try await rewriteObject(from: key, size: stat.size, baseETag: nil, to: key, options: options)
                    stat.objectType = .normal
                } else {
                    try await store.copyObject(from: key, to: key, replacing: options)
                }
            case .symlink:
                let key = keys.objectKey(path)
                if let target = stat.linkTargetKey {
                    try await store.putSymlink(key, target: target, options: WriteOptions(userMetadata: metadata))
                } else if stat.objectType == .appendable, let text = stat.linkText {
                    stat.objectType = try await writeLegacyLink(path, text: text, metadata: metadata, replacing: true)
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
        stat.applyTimes(metadata)
        handles.contentChanged(inodes.inode(of: path) ?? 0)
        return stat
    }

    /// Truncates through a writing handle (the kernel's ftruncate, or any writer of the inode),
    /// else rewrites the object at the new size. Either way mtime and ctime become `now`.
    private func truncate(_ ino: InodeNumber, path: String, stat: NodeStat, to size: Int64,
                          writer: StagedFile?, now: Timestamp) async throws(FSError) -> NodeStat {
        var stat = stat
        if let writer = writer ?? handles.writers(of: ino).first?.staged {
            try await mappingErrors { try await writer.truncate(to: size) }
            handles.noteModified(ino, at: now)
            stat.size = size
            return stat
        }
        let metadata = PosixMetadata.touched(stat.userMetadata ?? [:], at: now)
        let key = keys.objectKey(path)
        let options = stat.writeOptions(metadata)
        stat.etag = try await mappingErrors {
            try await rewriteObject(from: key, size: stat.size, baseETag: stat.versionETag, to: key,
                                    truncatingTo: size, options: options)
        }
        stat.objectType = .normal
        stat.size = size
        stat.userMetadata = metadata
        stat.applyTimes(metadata)
        handles.contentChanged(ino)
        followReaders(of: ino, etag: stat.etag, size: size)
        noteCreated(path, stat, entryAdded: false)
        return stat
    }
}
