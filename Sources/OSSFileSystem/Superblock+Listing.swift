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

    /// The entries of the directory at `path`: the cached listing while fresh, else one listing
    /// (all pages) plus one GetSymlink per link not yet known, which then fills the caches. Unless
    /// the mount is listing-only, entries whose stored attributes are not known yet get them first.
    func listDirectory(_ path: String) async throws(FSError) -> [ListedEntry] {
        let now = clock()
        var entries: [ListedEntry]
        if let cached = cache.listing(path, now: now) {
            entries = cached
        } else {
            let cache = self.cache
            let generation = cache.generation
            let firstPage = probePages.take(for: path, generation: generation, now: now,
                                            maxAge: configuration.attributeTimeout)
            let marker: Bool
            (entries, marker, _) = try await mappingErrors {
                try await listing.fetch(path, firstPage: firstPage) { [self] in previousStat($0) }
            }
            cache.storeListing(path, entries: entries, now: now, ifGeneration: generation)
            if marker { cache.noteMarker(path) }
        }
        return try await completed(entries, in: path)
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
        let stats: [NodeStat?] = try await mappingErrors {
            try await boundedMap(entries, limit: configuration.parallelism) { [self] entry in
                guard entry.stat.needsMetadata else { return entry.stat }
                do throws(FSError) {
                    return try await stat(KeyMapping.child(directory, entry.name))
                } catch where error.errno == ENOENT {
                    return nil
                }
            }
        }
        let out = zip(entries, stats).compactMap { entry, stat in stat.map { ListedEntry(name: entry.name, stat: $0) } }
        cache.storeListing(directory, entries: out, now: now, ifGeneration: generation)
        return out
    }
}
