import Foundation
import OSSProtocol

extension OSSFileSystem {
    static let renameNoReplace: UInt32 = 1
    static let renameExchange: UInt32 = 2

    /// Files: CopyObject + DeleteObject. Links: written again at the new key with the same text
    /// (a relative link then behaves as on a local disk). Directories: the same for every key below,
    /// in parallel (bounded) — not atomic: an interrupted rename leaves keys under both names.
    /// An existing file destination is replaced; RENAME_NOREPLACE gives EEXIST; RENAME_EXCHANGE is
    /// not supported (EINVAL).
    public func rename(parent: InodeNumber, name: String, newParent: InodeNumber, newName: String,
                       flags: UInt32) async throws(FSError) {
        try requireWritable()
        if flags & ~Self.renameNoReplace != 0 { throw FSError(EINVAL) }
        let sourcePath = KeyMapping.child(try path(of: parent), name)
        let destinationPath = try await newChildPath(parent: newParent, name: newName)
        let source = try await stat(sourcePath)
        if sourcePath.utf8.elementsEqual(destinationPath.utf8) { return }
        var destination: NodeStat?
        do throws(FSError) {
            destination = try await stat(destinationPath)
        } catch where error.errno == ENOENT {
            destination = nil
        }
        if destination != nil && flags & Self.renameNoReplace != 0 { throw FSError(EEXIST) }
        // The kernel's lock_rename traps, in its order (it never sends these; callers of the file
        // system other than the kernel get the same answers): a destination inside the source is
        // EINVAL, a destination that is an ancestor of the source ENOTEMPTY.
        if KeyMapping.isWithin(destinationPath, directory: sourcePath) { throw FSError(EINVAL) }
        if KeyMapping.isWithin(sourcePath, directory: destinationPath) { throw FSError(ENOTEMPTY) }

        // Open writers are flushed first (the copy must carry their content), retargeted after,
        // with the open readers.
        let moved = writerInodes(at: sourcePath)
        let movedReaders = readerInodes(at: sourcePath)
        var renamed: NodeStat?
        switch source.kind {
        case .directory:
            if let destination {
                if destination.kind != .directory { throw FSError(ENOTDIR) }
                try await removeEmptyDirectory(destinationPath)
            }
            for ino in moved { try await flushWriters(of: ino) }
            try await renameDirectory(from: sourcePath, to: destinationPath)
        case .file, .symlink, .special:
            if destination?.kind == .directory { throw FSError(EISDIR) }
            for ino in moved { try await flushWriters(of: ino) }
            renamed = try await renameObject(sourcePath, to: destinationPath)
        }
        inodes.move(from: sourcePath, to: destinationPath)
        superblock.noteRenamed(from: sourcePath, to: destinationPath, moved: renamed,
                               tree: source.kind == .directory || destination?.kind == .directory)
        retargetReaders(of: movedReaders)
        try await retargetWriters(of: moved)
        try await keepDirectory(KeyMapping.parent(of: sourcePath))
    }

    /// Moves one object (file, special file or link) and returns its stat at the new name, nil when
    /// it is not known in full (listing-only mode). Its mtime is kept (stored, where it was the
    /// Last-Modified the copy would change) and its ctime becomes now, as a rename does on a disk.
    private func renameObject(_ from: String, to: String) async throws(FSError) -> NodeStat? {
        var stat = try await fullStat(from, facts: false)
        let metadata: [String: String]? = stat.userMetadata.map {
            var metadata = $0
            metadata[PosixMetadata.mtime] = stat.mtime.metadataValue
            metadata[PosixMetadata.ctime] = now().metadataValue
            return metadata
        }
        try await mappingErrors {
            if stat.kind == .symlink, stat.linkText != nil {
                var link = stat
                link.userMetadata = metadata ?? link.userMetadata
                try await rewriteLink(link, from: from, to: to)
            } else {
                // The copy keeps a non-Standard storage class (without the header the class of the copy
                // is not documented; S3 gives STANDARD). Standard objects send no header: CopyObject
                // "without storage class conversion" within a bucket has no 5 GB limit, and whether
                // naming the same class counts as a conversion is unconfirmed.
                let options = metadata.map { metadata -> WriteOptions in
                    var options = stat.writeOptions(metadata)
                    if let storageClass = stat.storageClass, storageClass != "Standard" { options.storageClass = storageClass }
                    return options
                }
                try await copyKey(from: from, to: to, objectType: stat.objectType, replacing: options)
            }
            try await store.deleteObject(keys.objectKey(from))
        }
        guard let metadata, stat.kind != .symlink else { return nil }
        stat.userMetadata = metadata
        stat.applyTimes(metadata)
        stat.etag = nil  // a copy's ETag is not returned; readers opened later go unpinned, not wrong
        return stat
    }

    /// ENOTEMPTY unless only the marker is under the directory; removes the marker.
    private func removeEmptyDirectory(_ path: String) async throws(FSError) {
        let dirPrefix = keys.directoryPrefix(path)
        try await mappingErrors {
            let page = try await store.listObjects(prefix: dirPrefix, delimiter: nil, continuationToken: nil, maxKeys: 2)
            if page.contents.contains(where: { !$0.key.utf8.elementsEqual(dirPrefix.utf8) }) { throw FSError(ENOTEMPTY) }
            try await store.deleteObject(dirPrefix)
        }
    }

    /// Puts a link (native or legacy) again at `to`, with the same readlink text (native or legacy
    /// there, as `ln -s` would choose), replacing what is there.
    func rewriteLink(_ link: NodeStat, from: String, to: String) async throws {
        guard let text = link.linkText else { return }
        var metadata = link.userMetadata ?? [:]
        metadata[SymlinkTarget.keptTextMetadata] = nil
        switch try SymlinkTarget.representation(text: text, linkPath: to, prefix: keys.prefix, mountPoint: configuration.mountPoint) {
        case .native(let newTarget, let kept):
            metadata[PosixMetadata.mode] = nil
            metadata[PosixMetadata.legacyLinkTarget] = nil
            if let kept { metadata[SymlinkTarget.keptTextMetadata] = SymlinkTarget.percentEncode(kept) }
            try await store.putSymlink(keys.objectKey(to), target: newTarget, options: WriteOptions(userMetadata: metadata))
        case .legacy(let text):
            _ = try await writeLegacyLink(to, text: text, metadata: metadata, replacing: true)
        }
    }

    /// Copies every key below `from` to `to` (links rewritten), then deletes the old keys.
    private func renameDirectory(from: String, to: String) async throws(FSError) {
        let sourcePrefix = keys.directoryPrefix(from)
        let destinationPrefix = keys.directoryPrefix(to)
        let store = self.store, keys = self.keys
        try await mappingErrors {
            var objects: [ObjectSummary] = []
            var token: String?
            repeat {
                let page = try await store.listObjects(prefix: sourcePrefix, delimiter: nil, continuationToken: token, maxKeys: 1000)
                objects += page.contents
                token = page.isTruncated ? page.nextContinuationToken : nil
            } while token != nil
            let label = "rename \(sourcePrefix) -> \(destinationPrefix)"
            let started = Date()
            log("\(label): \(objects.count) keys to copy")
            let progress = ProgressLog(label + " copied", total: objects.count) { [weak self] in self?.log($0) }
            _ = try await boundedMap(objects, limit: configuration.parallelism) { [self] object in
                defer { progress.step() }
                let rest = object.key.dropBytePrefix(sourcePrefix)
                if object.type == .symlink {
                    let oldPath = KeyMapping.child(from, rest), newPath = KeyMapping.child(to, rest)
                    let info = try await store.getSymlink(object.key)
                    let link = NodeStat.link(path: oldPath, info: info, prefix: keys.prefix, mountPoint: configuration.mountPoint)
                    try await rewriteLink(link, from: oldPath, to: newPath)
                } else if object.type == .appendable {
                    try await copyKey(from: KeyMapping.child(from, rest), to: KeyMapping.child(to, rest), objectType: .appendable)
                } else {
                    try await store.copyObject(from: object.key, to: destinationPrefix + rest, replacing: nil)
                }
            }
            if objects.count > 1000 { log("\(label): deleting \(objects.count) old keys") }
            let keysToDelete = objects.map(\.key)
            for start in stride(from: 0, to: keysToDelete.count, by: 1000) {
                try await store.deleteObjects(Array(keysToDelete[start..<min(start + 1000, keysToDelete.count)]))
            }
            log("\(label): done, \(objects.count) keys in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}
