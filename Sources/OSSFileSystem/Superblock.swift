import Foundation
import Logging
import Synchronization
import OSSProtocol

/// The metadata layer (mountpoint-s3's superblock is the model): what the mount knows about paths,
/// apart from open handles and file data. It owns the attribute cache, the lookups in flight,
/// lookup bursts, the probe pages lookups bring back, directory listings, the recognition of
/// what an object is (`Superblock+Lookup`) and the times of directories changed here, and it
/// states the attribute rule once: unless the mount is listing-only, every stat it answers
/// carries the attributes stored on the object (`stat`).
///
/// `OSSFileSystem` turns kernel requests into calls on it and tells it of every change made
/// through the mount (`noteCreated`, `noteRemoved`, `noteRenamed`, `invalidate`).
final class Superblock: Sendable {
    let store: any ObjectStore
    let configuration: MountConfiguration
    let keys: KeyMapping
    let clock: @Sendable () -> Date
    /// The times of the mount root and of directories that exist only as key prefixes.
    let mountTime: Timestamp
    let cache: AttributeCache
    /// Directory times moved by entry changes made here.
    let directoryTimes = DirectoryTimes()
    /// Lookups in flight, so concurrent ones for one path share one request (pair).
    let inflight = Mutex([String: Task<NodeStat?, any Error>]())
    /// Lookup misses per directory, and the listings they started.
    let bursts: Mutex<LookupBursts>
    /// First listing pages that lookups' directory probes brought back, for the readdir that
    /// usually follows (`ls -l d` looks `d` up, then lists it): see `DirectoryProbePages`.
    let probePages = DirectoryProbePages()
    /// What the file system knows of a path the store does not know yet (a file created here and
    /// not uploaded): answered before anything else.
    private let localStat: @Sendable (String) -> NodeStat?
    /// Where the file system's notes go (hidden keys, rename progress, upload failures).
    let logger: Logger
    private let hiddenKeys = Mutex(Set<String>())

    init(store: any ObjectStore, configuration: MountConfiguration, clock: @escaping @Sendable () -> Date,
         logger: Logger, localStat: @escaping @Sendable (String) -> NodeStat?) {
        self.store = store
        self.configuration = configuration
        self.keys = KeyMapping(prefix: configuration.prefix)
        self.clock = clock
        self.mountTime = Timestamp(clock())
        self.cache = AttributeCache(attributeTimeout: configuration.attributeTimeout,
                                    negativeTimeout: configuration.negativeTimeout,
                                    maxEntries: configuration.maxCachedEntries ?? AttributeCache.defaultMaxEntries)
        self.bursts = Mutex(LookupBursts(window: configuration.attributeTimeout))
        self.logger = logger
        self.localStat = localStat
    }

    func log(_ message: String, level: Logger.Level = .info) { logger.log(level: level, "\(message)") }

    /// The time of a change made now, to the nanosecond the clock gives.
    func now() -> Timestamp { Timestamp(clock()) }

    /// Logs a key that cannot be shown as a POSIX name, once per key.
    func logHidden(_ key: String) {
        let first = hiddenKeys.withLock { $0.insert(key).inserted }
        if first { log("hidden key (not a valid POSIX name): \(key)") }
    }

    /// The stat of `path` from the cache, or from the store; ENOENT when nothing is there. Unless the
    /// mount is listing-only, the answer always carries the stored mode, owner and times: an entry
    /// known only from a listing is completed first (one HEAD, shared with concurrent callers).
    func stat(_ path: String) async throws(FSError) -> NodeStat {
        if path.isEmpty { return rootStat() }
        if let local = localStat(path) { return local }
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

    /// The stored attributes of `path`, listed as `listed`: from this mount's own unsaved file or
    /// a fresh cached answer that has them, else one HEAD (`complete`).
    func storedAttributes(_ path: String, listed: NodeStat) async throws(FSError) -> NodeStat {
        if let local = localStat(path) { return local }
        if case .hit(let known) = cache.lookup(path, now: clock()), !known.needsMetadata { return known }
        return try await complete(path, listed: listed)
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

    /// The stat of `path` if it is known to exist, without asking the store.
    func cachedStat(_ path: String) -> NodeStat? {
        if case .hit(let stat) = cache.lookup(path, now: clock()) { return stat }
        return nil
    }

    /// The stat of `path` with its user metadata, also in the listing-only mode (a HEAD when only a
    /// listing has been seen), and with `facts`, the ETag and storage class of a locally written object.
    func fullStat(_ path: String, facts: Bool = false) async throws(FSError) -> NodeStat {
        let stat = try await stat(path)
        if path.isEmpty { return stat }
        let missingFacts = facts && stat.kind != .directory && (stat.etag == nil || stat.storageClass == nil)
        if !stat.needsMetadata && !missingFacts { return stat }
        return directoryTimes.apply(path, to: try await refresh(path, shared: false))
    }

    func rootStat() -> NodeStat { directoryTimes.apply("", to: .directory(mtime: mountTime, metadata: [:])) }

    // MARK: - Changes made through the mount

    /// A local create or change of `path`: cached at once, and when an entry was added, the
    /// parent directory's times move.
    func noteCreated(_ path: String, _ stat: NodeStat, entryAdded: Bool) {
        cache.noteLocalChange(path, stat, now: clock())
        if entryAdded && !path.isEmpty { directoryTimes.entryChanged(in: KeyMapping.parent(of: path), at: now()) }
    }

    /// `path` (a whole tree for a directory) was removed here.
    func noteRemoved(_ path: String, directory: Bool) {
        if directory {
            cache.invalidateTree(path)
            directoryTimes.forgetTree(path)
        }
        cache.noteLocalChange(path, nil, now: clock())
        if !path.isEmpty { directoryTimes.entryChanged(in: KeyMapping.parent(of: path), at: now()) }
    }

    /// `from` was renamed to `to` (`tree`: a directory was involved); `moved` is what is now at
    /// `to` when known in full, so the kernel sees the moved attributes at once.
    func noteRenamed(from: String, to: String, moved: NodeStat?, tree: Bool) {
        if tree {
            cache.invalidateTree(from)
            cache.invalidateTree(to)
            directoryTimes.forgetTree(from)
        } else if let moved {
            // One object moved, known in full: the parents' cached listings lose and gain the
            // name instead of being dropped, so the next name looked up there (git's next
            // `config.lock`) is still answered without a request, as after a create.
            cache.noteLocalChange(from, nil, now: clock())
            cache.noteLocalChange(to, moved, now: clock())
            for directory in Set([KeyMapping.parent(of: from), KeyMapping.parent(of: to)]) {
                directoryTimes.entryChanged(in: directory, at: now())
            }
            return
        } else {
            cache.invalidate(from)
            cache.invalidate(to)
        }
        cache.storeAbsent(from, now: clock())
        if let moved { cache.store(to, moved, now: clock()) }
        for directory in Set([KeyMapping.parent(of: from), KeyMapping.parent(of: to)]) {
            directoryTimes.entryChanged(in: directory, at: now())
        }
    }

    /// A directory made here: empty, so lookups of new names in it need no request (for
    /// `negative_timeout`, as any "no such name" answer; readdir too, so other writers' names
    /// show after that time).
    func noteEmptyDirectory(_ path: String) {
        cache.storeListing(path, entries: [], now: clock(),
                           timeout: min(configuration.negativeTimeout, configuration.attributeTimeout))
    }

    /// Times of `directory` were set explicitly (and stored): they win over entry changes.
    func noteTimesSet(onDirectory directory: String) { directoryTimes.forget(directory) }

    /// Forgets what is cached of `path` (and its parent's listing).
    func invalidate(_ path: String) { cache.invalidate(path) }
}
