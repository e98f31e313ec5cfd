import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// `d_ino` for an entry whose inode the kernel has not looked up yet (FUSE_UNKNOWN_INO).
    static let unknownInode: InodeNumber = 0xffff_ffff

    public func opendir(_ ino: InodeNumber) async throws(FSError) -> HandleNumber {
        let path = try path(of: ino)
        if try await stat(path).kind != .directory { throw FSError(ENOTDIR) }
        return handles.addDirectory(ino)
    }

    /// Entries are "." and "..", then the listing in key order. The listing is read when the kernel
    /// starts at offset 0 (from the cache while fresh) and kept in the handle for the following
    /// calls. With `plus`, each listed entry carries an `EntryReply` (one lookup counted);
    /// "." and ".." never do.
    public func readdir(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, limit: Int,
                        plus: Bool) async throws(FSError) -> [DirectoryEntry] {
        let path = try path(of: ino)
        var listed = handles.directoryEntries(handle)
        if listed == nil || offset == 0 {
            listed = try await listDirectory(path)
            handles.setDirectoryEntries(handle, listed!)
        }
        let entries = listed!
        var out: [DirectoryEntry] = []
        var index = Int(offset)
        let dirMode = UInt32(S_IFDIR) | 0o755
        while out.count < limit, index < entries.count + 2 {
            let cookie = UInt64(index + 1)
            switch index {
            case 0:
                out.append(DirectoryEntry(name: ".", ino: serial(of: path, kind: .directory), mode: dirMode, offset: cookie))
            case 1:
                let up = serial(of: KeyMapping.parent(of: path), kind: .directory)
                out.append(DirectoryEntry(name: "..", ino: up, mode: dirMode, offset: cookie))
            default:
                var child = entries[index - 2]
                let childPath = KeyMapping.child(path, child.name)
                // A HEAD since the listing (e.g. by fullStat) knows more: the kernel sees one truth.
                if let known = cachedStat(childPath), !known.needsMetadata || child.stat.needsMetadata { child.stat = known }
                child.stat = directoryTimes.apply(childPath, to: child.stat)
                if plus {
                    let reply = entry(childPath, child.stat)
                    out.append(DirectoryEntry(name: child.name, ino: reply.attributes.serial, mode: reply.attributes.mode,
                                              offset: cookie, entry: reply))
                } else {
                    let ino = inodes.inode(of: childPath) ?? Self.unknownInode
                    out.append(DirectoryEntry(name: child.name, ino: serial(of: childPath, kind: child.stat.kind),
                                              mode: attributes(ino, child.stat).mode, offset: cookie))
                }
            }
            index += 1
        }
        return out
    }

    public func releasedir(_ ino: InodeNumber, handle: HandleNumber) async {
        handles.removeDirectory(handle)
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
        return withUnstoredFiles(try await completed(entries, in: path), in: path)
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

    /// `entries` plus the files created here in `directory` whose objects are not stored yet.
    private func withUnstoredFiles(_ entries: [ListedEntry], in directory: String) -> [ListedEntry] {
        let local = handles.unstoredFiles().compactMap { ino, stat -> ListedEntry? in
            guard let path = inodes.path(of: ino), KeyMapping.parent(of: path).utf8.elementsEqual(directory.utf8) else { return nil }
            return ListedEntry(name: KeyMapping.name(of: path), stat: stat)
        }
        if local.isEmpty { return entries }
        let names = Set(entries.map(\.name))
        return (entries + local.filter { !names.contains($0.name) }).sorted { keyOrder($0.name, $1.name) }
    }
}
