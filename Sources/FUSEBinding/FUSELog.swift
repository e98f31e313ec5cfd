@preconcurrency import Glibc

/// Minimal stderr logging for the binding (stderr is the log file once the daemon redirected it).
enum FUSELog {
    static func error(_ message: String) {
        fputs("ossfuse: \(message)\n", stderr)
    }
}
