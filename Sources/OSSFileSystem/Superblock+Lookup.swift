import Foundation
import OSSProtocol

/// How the metadata layer asks the store what a path is, and recognises what an object is (file,
/// special file, directory, native or legacy link) from the answer.
extension Superblock {
    /// Asks the store what `path` is, starting with one listing of the keys beginning with its key
    /// (`LookupProbe`): nothing there costs that one request; a directory without a marker too; a
    /// file adds its HEAD (the stored mode, owner and times), a native link its GetSymlink, a
    /// directory marker its HEAD. Only when siblings sharing the name's beginning (`a-1`, `a.txt`
    /// sort between `a` and `a/`) fill the probe's page does a second listing, of `path/`, decide.
    /// A bucket with both `a` and `a/` shows the file.
    func fetchStat(_ path: String) async throws -> NodeStat? {
        let key = keys.objectKey(path)
        let dirPrefix = keys.directoryPrefix(path)
        let probe = try await store.listObjects(prefix: key, delimiter: nil, continuationToken: nil,
                                                maxKeys: LookupProbe.pageSize)
        switch LookupProbe.classify(probe, key: key, directoryPrefix: dirPrefix) {
        case .nothing:
            return nil
        case .file(let listed):
            return try await headStat(path, listed: listed)
        case .directory(marker: false):
            return .directory(mtime: mountTime, metadata: [:])
        case .directory(marker: true):
            return try await markerStat(dirPrefix)
        case .undecided:
            return try await directoryProbe(path)
        }
    }

    /// A file (or link) the probe listed: GetSymlink for a native link, else HEAD. A HEAD saying
    /// Symlink, SymlinkTargetNotExist or InvalidTargetType means a link; NoSuchKey, that the object
    /// went away since the listing.
    private func headStat(_ path: String, listed: ObjectSummary) async throws -> NodeStat? {
        if listed.type == .symlink, var link = try await linkStat(path) {
            link.storageClass = listed.storageClass  // the link's own, as all but length/ETag
            return link
        }
        do {
            let metadata = try await store.headObject(keys.objectKey(path))
            if metadata.type == .symlink {
                guard var link = try await linkStat(path) else { return nil }
                link.storageClass = metadata.storageClass
                return link
            }
            return try await objectStat(path, metadata)
        } catch where ErrnoMapping.isLinkFollowFailure(error) {
            return try await linkStat(path)
        } catch where ErrnoMapping.isNoSuchKey(error) {
            return nil
        }
    }

    /// A directory with a marker `d/`: its metadata carries the directory's mode.
    private func markerStat(_ dirPrefix: String) async throws -> NodeStat {
        do {
            let marker = try await store.headObject(dirPrefix)
            return .directory(mtime: Timestamp(marker.lastModified), marker: true, metadata: marker.userMetadata, etag: marker.etag)
        } catch where ErrnoMapping.isNoSuchKey(error) {
            return .directory(mtime: mountTime, metadata: [:])
        }
    }

    /// The probe could not tell whether `path/` holds keys (siblings filled its page; there is no
    /// file `path`): a listing of `path/`, whose first page is kept for the readdir that usually
    /// follows (`DirectoryProbePages`).
    private func directoryProbe(_ path: String) async throws -> NodeStat? {
        let dirPrefix = keys.directoryPrefix(path)
        let started = (time: clock(), generation: cache.generation)
        let probe = try await store.listObjects(prefix: dirPrefix, delimiter: "/", continuationToken: nil,
                                                maxKeys: DirectoryProbePages.pageSize)
        guard !probe.contents.isEmpty || !probe.commonPrefixes.isEmpty else { return nil }
        probePages.keep(probe, for: path, time: started.time, generation: started.generation)
        // A marker `d/` sorts first under its prefix.
        guard let first = probe.contents.first, first.key.utf8.elementsEqual(dirPrefix.utf8) else {
            return .directory(mtime: mountTime, metadata: [:])
        }
        return try await markerStat(dirPrefix)
    }

    /// The full stat of a child a listing showed as `kind`: HEAD of the object (a file, or a
    /// legacy link) or of the directory's marker. Keeps the listing's view when the HEAD finds nothing.
    func listedEntryStat(_ path: String, kind: NodeKind) async throws -> NodeStat? {
        switch kind {
        case .file, .special:
            do {
                let metadata = try await store.headObject(keys.objectKey(path))
                return try await objectStat(path, metadata)
            } catch where ErrnoMapping.isNoSuchKey(error) {
                return nil
            }
        case .directory:
            do {
                let marker = try await store.headObject(keys.directoryPrefix(path))
                return .directory(mtime: Timestamp(marker.lastModified), marker: true, metadata: marker.userMetadata, etag: marker.etag)
            } catch where ErrnoMapping.isNoSuchKey(error) {
                return nil
            }
        case .symlink:
            return nil
        }
    }

    /// A native link's stat from GetSymlink; nil when the link vanished meanwhile.
    func linkStat(_ path: String) async throws -> NodeStat? {
        do {
            let info = try await store.getSymlink(keys.objectKey(path))
            return .link(path: path, info: info, prefix: keys.prefix, mountPoint: configuration.mountPoint)
        } catch where ErrnoMapping.isNoSuchKey(error) {
            return nil
        }
    }

    /// A regular object's stat: a file, a FIFO/socket/device node when its mode metadata says so
    /// (as ossfs 1.x and s3fs store them), or a legacy link when it says S_IFLNK.
    func objectStat(_ path: String, _ metadata: ObjectMetadata) async throws -> NodeStat {
        var stat = NodeStat(kind: .file, size: metadata.contentLength, mtime: Timestamp(metadata.lastModified),
                            etag: metadata.etag, userMetadata: metadata.userMetadata,
                            storageClass: metadata.storageClass, objectType: metadata.type,
                            contentType: metadata.contentType)
        stat.contentHeaders = metadata.contentHeaders
        if PosixMetadata.specialType(metadata.userMetadata) != nil {
            stat.kind = .special
            stat.size = 0
            return stat
        }
        guard PosixMetadata.isLegacyLink(metadata.userMetadata), metadata.contentLength <= SymlinkTarget.maxTextBytes else {
            return stat
        }
        let text: String
        if let kept = metadata.userMetadata[SymlinkTarget.keptTextMetadata].flatMap({ SymlinkTarget.percentDecode($0) }),
           Int64(kept.utf8.count) == metadata.contentLength {
            text = kept  // written by ossfuse beside the body: no GET
        } else if metadata.contentLength == 0, let kept = metadata.userMetadata[PosixMetadata.legacyLinkTarget] {
            text = SymlinkTarget.percentDecode(kept) ?? kept
        } else {
            let body = try await store.getObject(keys.objectKey(path), range: nil)
            text = String(decoding: body, as: UTF8.self)
        }
        stat.kind = .symlink
        stat.linkText = text
        stat.size = Int64(text.utf8.count)
        return stat
    }
}
