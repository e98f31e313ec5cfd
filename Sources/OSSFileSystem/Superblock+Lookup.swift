import Foundation
import OSSProtocol

/// How the metadata layer asks the store what a path is, and recognises what an object is (file,
/// special file, directory, native or legacy link) from the answer.
extension Superblock {
    /// Asks the store what `path` is: HeadObject on the key and a one-key listing of `path/`, sent
    /// concurrently. A HEAD saying Symlink, SymlinkTargetNotExist or InvalidTargetType means a link;
    /// NoSuchKey is the only "no such object". A bucket with both `a` and `a/` shows the file.
    func fetchStat(_ path: String) async throws -> NodeStat? {
        let key = keys.objectKey(path)
        let dirPrefix = keys.directoryPrefix(path)
        let store = self.store
        let started = (time: clock(), generation: cache.generation)
        async let headResult = capture { try await store.headObject(key) }
        // The probe asks for a whole first page: when `path` is a directory, the readdir that
        // usually follows starts from it instead of listing the same page again.
        async let probeResult = capture {
            try await store.listObjects(prefix: dirPrefix, delimiter: "/", continuationToken: nil,
                                        maxKeys: DirectoryProbePages.pageSize)
        }
        switch await headResult {
        case .success(let metadata):
            if metadata.type == .symlink, var link = try await linkStat(path) {
                link.storageClass = metadata.storageClass  // the link's own, as all but length/ETag
                return link
            }
            if metadata.type != .symlink { return try await objectStat(path, metadata) }
        case .failure(let error) where ErrnoMapping.isLinkFollowFailure(error):
            if let link = try await linkStat(path) { return link }
        case .failure(let error) where ErrnoMapping.isNoSuchKey(error):
            break
        case .failure(let error):
            throw error
        }
        let probe = try await probeResult.get()
        guard !probe.contents.isEmpty || !probe.commonPrefixes.isEmpty else { return nil }
        probePages.keep(probe, for: path, time: started.time, generation: started.generation)
        guard let first = probe.contents.first, first.key.utf8.elementsEqual(dirPrefix.utf8) else {
            return .directory(mtime: mountTime, metadata: [:])
        }
        // A marker `d/` sorts first under its prefix: its metadata carries the directory's mode.
        do {
            let marker = try await store.headObject(dirPrefix)
            return .directory(mtime: Timestamp(marker.lastModified), marker: true, metadata: marker.userMetadata, etag: marker.etag)
        } catch where ErrnoMapping.isNoSuchKey(error) {
            return .directory(mtime: mountTime, metadata: [:])
        }
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

/// The outcome of `body` as a value, so two concurrent requests can both be awaited.
func capture<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
