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

    public func releasedir(_ ino: InodeNumber, handle: HandleNumber) async {
        handles.removeDirectory(handle)
    }

    /// The entries of the directory at `path` (see `Superblock.listDirectory`), with the files
    /// created here whose objects are not stored yet.
    func listDirectory(_ path: String) async throws(FSError) -> [ListedEntry] {
        withUnstoredFiles(try await superblock.listDirectory(path), in: path)
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
