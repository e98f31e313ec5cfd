import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// The stat of `path` from the cache, or from the store; ENOENT when nothing is there. Unless the
    /// mount is listing-only, the answer always carries the stored mode, owner and times: an entry
    /// known only from a listing is completed first (one HEAD, shared with concurrent callers).
    func stat(_ path: String) async throws(FSError) -> NodeStat {
        if path.isEmpty { return rootStat() }
        if let local = unstoredStat(path) { return local }
        var found: NodeStat
        switch cache.lookup(path, now: clock()) {
        case .hit(let stat):
            found = stat
        case .absent:
            throw FSError(ENOENT)
        case .unknown:
            // A lookup joining one in flight for the same name is not a new miss.
            if inflight.withLock({ $0[path] == nil }), let listed = try await answerFromBurstListing(path) {
                found = listed
            } else {
                found = try await refresh(path, shared: true)
            }
        }
        if found.needsMetadata && !configuration.listingOnly { found = try await complete(path, listed: found) }
        return directoryTimes.apply(path, to: found)
    }

    /// Asks the store about `path` and caches the answer, unless a local change happened meanwhile.
    /// `shared`: concurrent callers for one path wait for one request pair.
    func refresh(_ path: String, shared: Bool) async throws(FSError) -> NodeStat {
        try await fetchAndCache(path, shared: shared) { try await self.fetchStat(path) }
    }

    /// The stored attributes of an entry known from a listing: HEAD of the object (or of the
    /// directory's marker). A file gone since the listing is asked about afresh (it may be a
    /// directory now); a directory without a marker has nothing stored (`[:]`).
    private func complete(_ path: String, listed: NodeStat) async throws(FSError) -> NodeStat {
        try await fetchAndCache(path, shared: true) {
            if let full = try await self.listedEntryStat(path, kind: listed.kind) { return full }
            if listed.kind == .directory {
                var implicit = listed
                implicit.userMetadata = [:]
                return implicit
            }
            return try await self.fetchStat(path)
        }
    }

    private func fetchAndCache(_ path: String, shared: Bool,
                               _ fetch: @escaping @Sendable () async throws -> NodeStat?) async throws(FSError) -> NodeStat {
        let now = clock()
        let generation = cache.generation
        let fetched = try await mappingErrors { shared ? try await sharedFetch(path, fetch) : try await fetch() }
        guard let fetched else {
            cache.storeAbsent(path, now: now, ifGeneration: generation)
            throw FSError(ENOENT)
        }
        cache.store(path, fetched, now: now, ifGeneration: generation)
        return fetched
    }

    private func sharedFetch(_ path: String, _ fetch: @escaping @Sendable () async throws -> NodeStat?) async throws -> NodeStat? {
        let task = inflight.withLock { tasks in
            if let running = tasks[path] { return running }
            let task = Task { try await fetch() }
            tasks[path] = task
            return task
        }
        defer { inflight.withLock { if $0[path] == task { $0[path] = nil } } }
        return try await task.value
    }

    /// A file created here whose object is not stored yet (see `create`): the store knows nothing.
    func unstoredStat(_ path: String) -> NodeStat? {
        guard let ino = inodes.inode(of: path), let file = handles.unstored(ino) else { return nil }
        var stat = file.stat
        if let live = handles.liveSize(of: ino) { stat.size = live }
        return stat
    }

    /// The stat of `path` if it is known to exist, without asking the store.
    func cachedStat(_ path: String) -> NodeStat? {
        if case .hit(let stat) = cache.lookup(path, now: clock()) { return stat }
        return nil
    }

    /// The stat of `path` with its user metadata, also in the listing-only mode (a HEAD when only a
    /// listing has been seen), and with `facts`, the ETag and storage class of a locally written object.
    func fullStat(_ path: String, facts: Bool = false) async throws(FSError) -> NodeStat {
        let stat = try await stat(path)
        if path.isEmpty || (stat.kind == .directory && !stat.hasMarker && stat.userMetadata != nil) { return stat }
        let missingFacts = facts && stat.kind != .directory && (stat.etag == nil || stat.storageClass == nil)
        if !stat.needsMetadata && !missingFacts { return stat }
        return directoryTimes.apply(path, to: try await refresh(path, shared: false))
    }

    func rootStat() -> NodeStat { directoryTimes.apply("", to: .directory(mtime: mountTime, metadata: [:])) }

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
