import CMalloc
import Synchronization

/// Gives freed heap back to the kernel once many inodes have been forgotten. glibc keeps freed
/// memory for reuse, so after `ls -l` of a huge directory (one inode and cached stat per name)
/// and the kernel forgetting those inodes (memory pressure, `drop_caches`), the daemon's RSS
/// would stay at its peak; `malloc_trim` returns the free pages. Once per `interval` forgets,
/// so its walk of the heap is paid rarely.
final class HeapReturn: Sendable {
    static let interval = 20_000
    private let freed = Atomic<Int>(0)

    /// One more inode went.
    func noteFreed() {
        if freed.add(1, ordering: .relaxed).newValue % Self.interval == 0 {
            malloc_trim(0)
        }
    }
}
