@preconcurrency import Glibc

/// syslog(3), wrapped once: `openlog` with a process-lifetime identifier and `vsyslog` with a
/// fixed "%s" format (C variadics are not callable from Swift, and a message must never be
/// taken as a format string).
enum SystemLog {
    /// strdup'ed once and never freed: openlog keeps the pointer for the life of the process.
    // nonisolated(unsafe): immutable after its (thread-safe, lazy) initialisation; only read by C.
    nonisolated(unsafe) private static let identifier: UnsafeMutablePointer<CChar>? = strdup("ossfuse")

    /// Tags every later line with `ossfuse[pid]`, facility daemon. Call before the first line.
    static func open() {
        openlog(identifier, LOG_PID, LOG_DAEMON)
    }

    /// Sends one line with `priority` (LOG_DEBUG ... LOG_ERR). syslog(3) is thread-safe.
    static func write(_ message: String, priority: Int32) {
        message.withCString { text in
            withVaList([text]) { arguments in vsyslog(priority, "%s", arguments) }
        }
    }
}
