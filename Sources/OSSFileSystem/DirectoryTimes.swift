import Foundation
import Synchronization

/// The mtime and ctime a directory gets when entries are added to it or removed from it through
/// this mount, as on a local disk. Kept in memory for the mount's life rather than stored: storing
/// would cost one CopyObject of the directory's marker per create, unlink or rename. A time set
/// explicitly (utimens, chmod: stored on the marker) replaces it.
final class DirectoryTimes: Sendable {
    /// Directories remembered at most; past that the oldest half is dropped (they show their
    /// stored times again).
    static let capacity = 100_000

    private let times = Mutex([String: Timestamp]())

    /// An entry of `directory` changed at `now`.
    func entryChanged(in directory: String, at now: Timestamp) {
        times.withLock { times in
            if times.count >= Self.capacity {
                let keep = times.sorted { $0.value > $1.value }.prefix(Self.capacity / 2)
                times = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
            times[directory] = now
        }
    }

    /// The directory's own times were set (and stored): they win from now on.
    func forget(_ directory: String) {
        times.withLock { $0[directory] = nil }
    }

    /// Forgets `directory` and everything below it (a directory rename or removal).
    func forgetTree(_ directory: String) {
        times.withLock { times in
            for key in times.keys where key == directory || KeyMapping.isWithin(key, directory: directory) {
                times[key] = nil
            }
        }
    }

    /// `stat` with the local entry-change time where it is newer than what is stored.
    func apply(_ path: String, to stat: NodeStat) -> NodeStat {
        guard stat.kind == .directory, let changed = times.withLock({ $0[path] }), changed > stat.mtime else { return stat }
        var stat = stat
        stat.mtime = changed
        stat.ctime = max(stat.ctime ?? changed, changed)
        return stat
    }
}
