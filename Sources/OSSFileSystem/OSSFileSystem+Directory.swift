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

    /// Entries are "." and "..", then the listing (`DirectoryStream`): read when the kernel starts
    /// at offset 0 (from the cache while fresh, else one page of the store's listing at a time, as
    /// the kernel asks for more) and kept in the handle for the following calls. An offset before
    /// the handle's window (seekdir back) lists again from the start. With `plus`, each listed
    /// entry carries an `EntryReply` (one lookup counted); "." and ".." never do.
    public func readdir(_ ino: InodeNumber, handle: HandleNumber, offset: UInt64, limit: Int,
                        plus: Bool) async throws(FSError) -> [DirectoryEntry] {
        let path = try path(of: ino)
        let index = Int(clamping: offset)
        var stream = handles.directoryStream(handle)
        if stream == nil || offset == 0 || max(index, 2) - 2 < stream!.start {
            stream = try await openStream(path)
        }
        while index - 2 >= stream!.end && !stream!.finished {
            try await advance(&stream!, path)
        }
        handles.setDirectoryStream(handle, stream!)
        return entries(of: stream!, path: path, from: index, limit: limit, plus: plus)
    }

    /// Up to `limit` entries from number `index` on ("." and ".." are 0 and 1), within the window.
    private func entries(of stream: DirectoryStream, path: String, from index: Int, limit: Int, plus: Bool) -> [DirectoryEntry] {
        var out: [DirectoryEntry] = []
        var index = index
        let dirMode = UInt32(S_IFDIR) | 0o755
        while out.count < limit, index < 2 || index - 2 < stream.end {
            let cookie = UInt64(index + 1)
            switch index {
            case 0:
                out.append(DirectoryEntry(name: ".", ino: serial(of: path, kind: .directory), mode: dirMode, offset: cookie))
            case 1:
                let up = serial(of: KeyMapping.parent(of: path), kind: .directory)
                out.append(DirectoryEntry(name: "..", ino: up, mode: dirMode, offset: cookie))
            default:
                var child = stream.window[index - 2 - stream.start]
                let childPath = KeyMapping.child(path, child.name)
                // A HEAD since the listing (e.g. by fullStat) knows more: the kernel sees one truth.
                if let known = superblock.cachedStat(childPath), !known.needsMetadata || child.stat.needsMetadata {
                    child.stat = known
                }
                child.stat = superblock.directoryTimes.apply(childPath, to: child.stat)
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

    /// A new stream over `path`: the cached listing while fresh, else the store's first page.
    private func openStream(_ path: String) async throws(FSError) -> DirectoryStream {
        if let cached = try await superblock.cachedListing(path) {
            return DirectoryStream(whole: withUnstoredFiles(cached, in: path))
        }
        var stream = DirectoryStream(unstored: unstoredEntries(in: path), generation: superblock.cache.generation,
                                     collectLimit: superblock.cache.largestListing)
        try await advance(&stream, path)
        return stream
    }

    /// The next window: the store's next page with its entries' stored attributes, or, after the
    /// last, the local files the listing did not show. A listing read to its end and small enough
    /// is cached.
    private func advance(_ stream: inout DirectoryStream, _ path: String) async throws(FSError) {
        guard !stream.listingDone else { return stream.showUnstored() }
        let page = try await superblock.listingPage(path, token: stream.token, first: stream.pagesRead == 0)
        let accepted = stream.accept(page, listing: superblock.listing, path: path) { [superblock] in superblock.previousStat($0) }
        stream.show(try await superblock.withStoredAttributes(accepted, in: path))
        if stream.listingDone, let collected = stream.collected {
            superblock.storeListing(path, entries: collected, marker: stream.marker, generation: stream.generation)
        }
    }

    public func releasedir(_ ino: InodeNumber, handle: HandleNumber) async {
        handles.removeDirectory(handle)
    }

    /// `entries` plus the files created here in `directory` whose objects are not stored yet.
    private func withUnstoredFiles(_ entries: [ListedEntry], in directory: String) -> [ListedEntry] {
        let local = unstoredEntries(in: directory)
        if local.isEmpty { return entries }
        let names = Set(entries.map(\.name))
        return (entries + local.filter { !names.contains($0.name) }).sorted { keyOrder($0.name, $1.name) }
    }

    /// The files created here in `directory` whose objects are not stored yet.
    private func unstoredEntries(in directory: String) -> [ListedEntry] {
        handles.unstoredFiles().compactMap { ino, stat -> ListedEntry? in
            guard let path = inodes.path(of: ino), KeyMapping.parent(of: path).utf8.elementsEqual(directory.utf8) else { return nil }
            return ListedEntry(name: KeyMapping.name(of: path), stat: stat)
        }
    }
}
