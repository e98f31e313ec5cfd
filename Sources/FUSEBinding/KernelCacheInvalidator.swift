import CFuse3
import Dispatch
import Foundation
import Synchronization
import OSSFileSystem

/// Tells the kernel to drop what it cached where the file system changed it outside a reply: an
/// inode's attributes (`invalidateAttributes`), and link texts.
///
/// Keeps the kernel's symlink cache (FUSE_CAP_CACHE_SYMLINKS) from outliving the file system's
/// own freshness rules.
///
/// The kernel keeps a cached link text in the inode's page cache and only drops it for regular
/// files when attributes change, so a link replaced by another writer (same inode number, maybe
/// same length and second) would be served stale forever. Whenever the file system re-reports a
/// symlink inode the kernel may have cached (lookup after the entry timeout, getattr,
/// readdirplus), its cached text is invalidated; the next `readlink` then asks the file system,
/// which answers from its own cache within `attr_timeout`.
///
/// Notifications go through a serial dispatch queue, never a Swift pool thread: the kernel may
/// block the writing thread on a page lock until some other request is answered.
final class KernelCacheInvalidator: @unchecked Sendable {
    // @unchecked: `session` is set before the loop starts and cleared (after draining `queue`)
    // only after it ended.
    private let known = Mutex(Set<UInt64>())
    private let queue = DispatchQueue(label: "ossfuse.fuse-notify")
    private var session: OpaquePointer?

    func attach(_ session: OpaquePointer) { queue.sync { self.session = session } }

    /// Waits for queued notifications, then stops sending any.
    func detach() { queue.sync { self.session = nil } }

    /// Called with every attributes reply the kernel will see.
    func observe(_ attributes: FileAttributes) {
        guard attributes.mode & 0o170000 == 0o120000 else { return }  // S_IFMT, S_IFLNK
        let ino = attributes.ino
        let seenBefore = known.withLock { !$0.insert(ino).inserted }
        guard seenBefore else { return }
        queue.async {
            guard let session = self.session else { return }
            _ = fuse_lowlevel_notify_inval_inode(session, ino, 0, 0)
        }
    }

    /// The attributes of `ino` changed in a way no reply told the kernel (a write clearing
    /// setuid): it asks again at the next stat. Its page cache stays.
    func invalidateAttributes(_ ino: UInt64) {
        queue.async {
            guard let session = self.session else { return }
            _ = fuse_lowlevel_notify_inval_inode(session, ino, -1, 0)
        }
    }

    /// The kernel dropped (some of) its references to `ino`; it will be re-reported if still used.
    func forget(_ ino: UInt64) {
        _ = known.withLock { $0.remove(ino) }
    }
}
