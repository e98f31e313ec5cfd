import Foundation
import Synchronization

/// Progress lines for one long operation (a directory rename): a line at every multiple of `every`
/// items, and one whenever `interval` seconds passed since the last line. Thread-safe; lines go to the file system's logger.
final class ProgressLog: Sendable {
    private struct State {
        var done = 0
        var lastTime: Date
    }

    private let state: Mutex<State>
    private let total: Int
    private let every: Int
    private let interval: Double
    private let label: String
    private let sink: @Sendable (String) -> Void

    init(_ label: String, total: Int, every: Int = 1000, interval: Double = 5, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.total = total
        self.every = every
        self.interval = interval
        self.sink = sink
        self.state = Mutex(State(lastTime: Date()))
    }

    /// One more item done; logs when a step or the interval has passed since the last line.
    func step() {
        let line: String? = state.withLock { s in
            s.done += 1
            let now = Date()
            guard s.done < total, s.done % every == 0 || now.timeIntervalSince(s.lastTime) >= interval else { return nil }
            s.lastTime = now
            return "\(label): \(s.done)/\(total) keys"
        }
        if let line { sink(line) }
    }
}
