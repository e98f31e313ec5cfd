import Foundation
import OSSProtocol

/// Directory listings: what a listing shows, completed with the stored attributes of its entries.
extension Superblock {
    /// Lists directories for readdir and lookup bursts.
    var listing: DirectoryListing {
        DirectoryListing(store: store, keys: keys, mountPoint: configuration.mountPoint,
                         parallelism: configuration.parallelism, implicitDirectoryMtime: mountTime,
                         hidden: { [weak self] in self?.logHidden($0) },
                         objectStat: { @Sendable [weak self] path in try await self?.listedEntryStat(path, kind: .file) })
    }

    /// The fresh cached listing of `path`, its entries completed with their stored attributes
    /// (unless the mount is listing-only); nil when none is cached.
    func cachedListing(_ path: String) async throws(FSError) -> [ListedEntry]? {
        guard let cached = cache.listing(path, now: clock()) else { return nil }
        return try await completed(cached, in: path)
    }

    /// The page of `path`'s listing `token` names (see `DirectoryListing.page`); the first may be
    /// one a lookup's directory probe brought back.
    func listingPage(_ path: String, token: String?, first: Bool) async throws(FSError) -> DirectoryListing.Page {
        let answer = first ? probePages.take(for: path, generation: cache.generation, now: clock(),
                                             maxAge: configuration.attributeTimeout) : nil
        return try await mappingErrors {
            try await listing.page(path, token: token, answer: answer) { [self] in previousStat($0) }
        }
    }

    /// Stores a listing read to its end (by a streaming readdir), unless a local change happened
    /// since `generation`.
    func storeListing(_ path: String, entries: [ListedEntry], marker: Bool, generation: UInt64) {
        cache.storeListing(path, entries: entries, now: clock(), ifGeneration: generation)
        if marker { cache.noteMarker(path) }
    }

    /// What a new listing may keep of a child's last known stat while its ETag is unchanged: a
    /// link's text; in the listing-only mode, also the metadata a HEAD brought (elsewhere that
    /// would hide a chmod by another writer, which keeps the ETag, past the attribute timeout).
    func previousStat(_ path: String) -> NodeStat? {
        guard let stat = cache.stale(path) else { return nil }
        return configuration.listingOnly || stat.kind == .symlink ? stat : nil
    }

    /// `entries` with the stored attributes of those known only from the listing (one HEAD each,
    /// `parallelism` at a time, shared with lookups of the same names); entries gone meanwhile are
    /// left out. The completed listing replaces the cached one.
    private func completed(_ entries: [ListedEntry], in directory: String) async throws(FSError) -> [ListedEntry] {
        guard !configuration.listingOnly, entries.contains(where: { $0.stat.needsMetadata }) else { return entries }
        let now = clock()
        let generation = cache.generation
        let out = try await withStoredAttributes(entries, in: directory)
        cache.storeListing(directory, entries: out, now: now, ifGeneration: generation)
        return out
    }

    /// `entries` with the stored attributes of those known only from the listing (one HEAD each,
    /// `parallelism` at a time, shared with lookups of the same names); entries gone meanwhile are
    /// left out. Listing-only mounts take them as they are.
    func withStoredAttributes(_ entries: [ListedEntry], in directory: String) async throws(FSError) -> [ListedEntry] {
        guard !configuration.listingOnly, entries.contains(where: { $0.stat.needsMetadata }) else { return entries }
        let stats: [NodeStat?] = try await mappingErrors {
            try await boundedMap(entries, limit: configuration.parallelism) { [self] entry in
                guard entry.stat.needsMetadata else { return entry.stat }
                do throws(FSError) {
                    return try await storedAttributes(KeyMapping.child(directory, entry.name), listed: entry.stat)
                } catch where error.errno == ENOENT {
                    return nil
                }
            }
        }
        return zip(entries, stats).compactMap { entry, stat in stat.map { ListedEntry(name: entry.name, stat: $0) } }
    }
}
