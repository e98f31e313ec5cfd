import Foundation
import Synchronization

/// What an inode is. A path whose object changes kind gets a new inode (the kernel refuses an inode
/// that changes its file type).
enum NodeKind: Sendable, Equatable {
    case file, directory, symlink
    /// A FIFO, socket or device node, stored as an empty object whose mode carries the type.
    case special
}

/// Inode numbers for paths, with the kernel's lookup counts (libfuse passthrough_ll model): every
/// entry reply adds one, `forget` subtracts, and a record goes only at zero. An inode stays stable
/// while referenced; a removed or replaced path is detached from its inode, which lives on (without a
/// path) until forgotten.
final class InodeTable: Sendable {
    /// The root inode (FUSE_ROOT_ID).
    static let root: InodeNumber = 1

    struct Record: Sendable {
        var path: String?
        var kind: NodeKind
        var lookups: UInt64
    }

    private struct State {
        var records: [InodeNumber: Record] = [InodeTable.root: Record(path: "", kind: .directory, lookups: 1)]
        var byPath: [String: InodeNumber] = ["": InodeTable.root]
        var next: InodeNumber = 2
    }

    private let state = Mutex(State())

    /// The current path of `ino`, nil when unknown or detached.
    func path(of ino: InodeNumber) -> String? {
        state.withLock { $0.records[ino]?.path }
    }

    /// The record of `ino`.
    func record(_ ino: InodeNumber) -> Record? {
        state.withLock { $0.records[ino] }
    }

    /// The inode of `path` if one is known (no lookup counted).
    func inode(of path: String) -> InodeNumber? {
        state.withLock { $0.byPath[path] }
    }

    /// The inode for `path` with one more lookup; a new one if none exists or if the known one has
    /// another kind (the old one is detached).
    func reference(_ path: String, kind: NodeKind) -> InodeNumber {
        state.withLock { s in
            if let ino = s.byPath[path], var record = s.records[ino] {
                if record.kind == kind || ino == InodeTable.root {
                    record.lookups += 1
                    s.records[ino] = record
                    return ino
                }
                s.records[ino]?.path = nil
            }
            let ino = s.next
            s.next += 1
            s.records[ino] = Record(path: path, kind: kind, lookups: 1)
            s.byPath[path] = ino
            return ino
        }
    }

    /// Drops `count` lookups; the record goes when none remain (the root stays). True when it went.
    @discardableResult
    func forget(_ ino: InodeNumber, count: UInt64) -> Bool {
        guard ino != InodeTable.root else { return false }
        return state.withLock { s in
            guard var record = s.records[ino] else { return false }
            record.lookups = record.lookups > count ? record.lookups - count : 0
            if record.lookups == 0 {
                s.records[ino] = nil
                if let path = record.path, s.byPath[path] == ino { s.byPath[path] = nil }
                Self.shrinkIfSparse(&s)
                return true
            }
            s.records[ino] = record
            return false
        }
    }

    /// Detaches `path` (and everything below it) from its inodes: the object is gone or replaced.
    func detach(_ path: String) {
        guard !path.isEmpty else { return }
        state.withLock { s in Self.detach(path, in: &s) }
    }

    /// Moves `from` (and everything below it) to `to`, detaching whatever was at `to`.
    func move(from: String, to: String) {
        state.withLock { s in
            Self.detach(to, in: &s)
            guard let ino = s.byPath[from] else { return }
            let moving: [(String, InodeNumber)] = s.records[ino]?.kind == .directory
                ? s.byPath.filter { KeyMapping.isWithin($0.key, directory: from) }.map { ($0.key, $0.value) }
                : [(from, ino)]
            for (known, _) in moving { s.byPath[known] = nil }
            for (known, ino) in moving {
                let newPath = KeyMapping.rebase(known, from: from, to: to)
                s.byPath[newPath] = ino
                s.records[ino]?.path = newPath
            }
        }
    }

    /// Paths below a directory are only known while the directory itself is (the kernel holds a
    /// reference to the parent of every dentry), so only a known directory needs a scan.
    private static func detach(_ path: String, in s: inout State) {
        guard let ino = s.byPath[path] else { return }
        let doomed: [(String, InodeNumber)] = s.records[ino]?.kind == .directory
            ? s.byPath.filter { KeyMapping.isWithin($0.key, directory: path) }.map { ($0.key, $0.value) }
            : [(path, ino)]
        for (known, ino) in doomed {
            s.byPath[known] = nil
            s.records[ino]?.path = nil
        }
    }

    /// A dictionary keeps its largest capacity when emptied: after the kernel forgets the inodes of
    /// a million listed names, the tables are rebuilt to their size, so the memory can go back.
    private static func shrinkIfSparse(_ s: inout State) {
        guard s.records.capacity > 4096, s.records.capacity > 4 * s.records.count else { return }
        s.records = Dictionary(uniqueKeysWithValues: s.records.map { ($0.key, $0.value) })
        s.byPath = Dictionary(uniqueKeysWithValues: s.byPath.map { ($0.key, $0.value) })
    }

    /// Capacity of the inode map (for tests: it shrinks when most inodes are forgotten).
    var capacity: Int { state.withLock { $0.records.capacity } }

    /// Number of records (for tests: forgotten inodes must go).
    var count: Int { state.withLock { $0.records.count } }
}
