import Foundation
@preconcurrency import Glibc

/// Writes timestamped log lines to stderr (which is the log file when `log_file=` is given).
/// Lines are written with one `write(2)` each, so concurrent loggers never interleave.
struct LogSink: Sendable {
    /// Sends stderr to `path` (appending), keeping it for the life of the process.
    static func attach(logFile path: String) throws(MountSettingsError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw MountSettingsError("cannot open log file \(path): \(String(cString: strerror(errno)))")
        }
        dup2(fd, 2)
        close(fd)
    }

    func write(_ message: String) {
        let line = "\(Self.timestamp()) ossfuse: \(message)\n"
        _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), now.tv_nsec / 1_000_000)
    }
}
