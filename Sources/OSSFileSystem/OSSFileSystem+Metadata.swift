import Foundation

/// The file system's side of the metadata layer: files created here and not stored yet, inode
/// bookkeeping that goes with a change, and the superblock's answers under their usual names.
extension OSSFileSystem {
    /// The stat of `path` (see `Superblock.stat`), a file created here and not stored yet included.
    func stat(_ path: String) async throws(FSError) -> NodeStat { try await superblock.stat(path) }

    /// See `Superblock.fullStat`.
    func fullStat(_ path: String, facts: Bool = false) async throws(FSError) -> NodeStat {
        try await superblock.fullStat(path, facts: facts)
    }

    /// The stat of `path` if it is known to exist, without asking the store.
    func cachedStat(_ path: String) -> NodeStat? { superblock.cachedStat(path) }

    /// A file created here whose object is not stored yet (see `create`): the store knows nothing.
    static func unstoredStat(_ path: String, inodes: InodeTable, handles: HandleTable) -> NodeStat? {
        guard let ino = inodes.inode(of: path), let file = handles.unstored(ino) else { return nil }
        var stat = file.stat
        if let live = handles.liveSize(of: ino) { stat.size = live }
        return stat
    }

    /// A local create or change of `path` (see `Superblock.noteCreated`).
    func noteCreated(_ path: String, _ stat: NodeStat, entryAdded: Bool = true) {
        superblock.noteCreated(path, stat, entryAdded: entryAdded)
    }

    /// `path` was removed here: its inodes are detached and the caches forget it.
    func noteRemoved(_ path: String, directory: Bool) {
        inodes.detach(path)
        superblock.noteRemoved(path, directory: directory)
    }
}
