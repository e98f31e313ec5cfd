import Synchronization
import NIOCore

/// The file handles a connection handed to NIO in `FileRegion` bodies. `FileRegionCloser` closes
/// each once written; a body still queued when the connection dies never reaches it, so the
/// connection closes whatever is left when it ends.
final class OpenFileRegistry: Sendable {
    private let handles = Mutex([NIOFileHandle]())

    func register(_ handle: NIOFileHandle) {
        handles.withLock { list in
            list.removeAll { !$0.isOpen }
            list.append(handle)
        }
    }

    /// Closes every handle still open (call once the channel is closed).
    func closeAll() {
        let remaining = handles.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for handle in remaining where handle.isOpen { try? handle.close() }
    }
}
