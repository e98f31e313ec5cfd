@preconcurrency import Glibc
import Synchronization

/// The binding's own messages (replies dropped, requests unanswered at shutdown). They go to
/// stderr until the CLI routes them into the mount's log (a log file or syslog), where a
/// background mount's stderr would lose them.
public enum FUSELog {
    private static let destination = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// Sends every later message to `handler` instead of stderr.
    public static func route(to handler: @escaping @Sendable (String) -> Void) {
        destination.withLock { $0 = handler }
    }

    /// A notable event that is not a fault (a stop requested by a signal, its outcome).
    static func notice(_ message: String) { error(message) }

    static func error(_ message: String) {
        if let handler = destination.withLock({ $0 }) {
            handler(message)
        } else {
            fputs("ossfuse: \(message)\n", stderr)
        }
    }
}
