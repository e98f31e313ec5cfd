import Logging

/// The binding's own messages (replies dropped, requests unanswered at shutdown, graceful stop),
/// through the one logging API: wherever the mount command bootstrapped it (stderr, log file or
/// syslog).
enum FUSELog {
    static let logger = Logger(label: "ossfuse.fuse")

    /// A notable event that is not a fault (a stop requested by a signal, its outcome).
    static func notice(_ message: String) { logger.notice("\(message)") }

    static func error(_ message: String) { logger.error("\(message)") }
}
