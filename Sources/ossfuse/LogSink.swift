import Foundation
import Logging
@preconcurrency import Glibc

/// Severity of a log line. Without `-d` a mount logs `info` and above (mount, unmount, the file
/// system's notes: hidden keys, rename progress, upload failures); `-d` adds one `debug` line
/// per OSS request.
enum LogLevel: Int, Comparable, Sendable {
    case debug, info, warning, error

    static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    var syslogPriority: Int32 {
        switch self {
        case .debug: LOG_DEBUG
        case .info: LOG_INFO
        case .warning: LOG_WARNING
        case .error: LOG_ERR
        }
    }
}

/// Where a mount's log goes, decided once when it starts: `log_file=` (stderr is pointed at the
/// file, so libfuse's own messages land there too), else stderr in the foreground, else syslog
/// (a background mount has no terminal; fstab mounts at boot log there). One `write(2)` or one
/// syslog call per line, so concurrent loggers never interleave. Never given secrets: callers
/// log operations, keys, statuses and request ids only.
struct LogSink: Sendable {
    enum Destination: Sendable, Equatable {
        /// Descriptor 2: the terminal, or the log file after `attach(logFile:)`.
        case standardError
        case syslog
    }

    let destination: Destination
    /// Lines below this level are dropped.
    let threshold: LogLevel

    /// The sink for `settings`; opens the log file (appending) or syslog as needed.
    static func open(_ settings: MountSettings) throws(MountSettingsError) -> LogSink {
        let threshold: LogLevel = settings.debug ? .debug : .info
        if let logFile = settings.logFile {
            try attach(logFile: logFile)
            return LogSink(destination: .standardError, threshold: threshold)
        }
        if settings.foreground { return LogSink(destination: .standardError, threshold: threshold) }
        SystemLog.open()
        return LogSink(destination: .syslog, threshold: threshold)
    }

    /// Sends stderr to `path` (appending), keeping it for the life of the process.
    private static func attach(logFile path: String) throws(MountSettingsError) {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw MountSettingsError("cannot open log file \(path): \(String(cString: strerror(errno)))")
        }
        dup2(fd, 2)
        close(fd)
    }

    /// Whether `level` lines are written at all (so callers can skip formatting them).
    func logs(_ level: LogLevel) -> Bool { level >= threshold }

    func debug(_ message: String) { write(.debug, message) }
    func info(_ message: String) { write(.info, message) }
    func warning(_ message: String) { write(.warning, message) }
    func error(_ message: String) { write(.error, message) }

    func write(_ level: LogLevel, _ message: String) {
        guard logs(level) else { return }
        switch destination {
        case .syslog:
            SystemLog.write(level == .info || level == .debug ? message : "\(level.name): \(message)",
                            priority: level.syslogPriority)
        case .standardError:
            let line = "\(Self.timestamp()) ossfuse[\(getpid())] \(level.name): \(message)\n"
            _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
        }
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

/// swift-log's handler for every module's logger: lines go to the mount's one sink, at its
/// threshold (notice counts as info, critical as error).
struct LogSinkHandler: LogHandler {
    let sink: LogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    init(sink: LogSink) {
        self.sink = sink
        logLevel = sink.threshold == .debug ? .debug : .info
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let mapped: LogLevel
        switch event.level {
        case .trace, .debug: mapped = .debug
        case .info, .notice: mapped = .info
        case .warning: mapped = .warning
        case .error, .critical: mapped = .error
        }
        sink.write(mapped, event.message.description)
    }
}
