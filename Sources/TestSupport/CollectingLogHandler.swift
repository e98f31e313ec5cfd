import Logging

/// A swift-log handler that hands every line (all levels) to a closure, so tests can read what a
/// module logged without bootstrapping the process-wide logging system.
public struct CollectingLogHandler: LogHandler {
    private let append: @Sendable (String) -> Void
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(_ append: @escaping @Sendable (String) -> Void) { self.append = append }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        append(event.message.description)
    }
}

extension Logger {
    /// A logger whose lines go to `append`.
    public static func collecting(_ append: @escaping @Sendable (String) -> Void) -> Logger {
        Logger(label: "test") { _ in CollectingLogHandler(append) }
    }
}
