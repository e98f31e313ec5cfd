import Synchronization
import Foundation

/// The changing state of the strict fault modes (`Strictness`): when the current QpsLimitExceeded
/// storm ends, and how many partial batch deletes are still to come.
final class StrictFaults: Sendable {
    private let state: Mutex<(stormUntil: Date, partialDeletesLeft: Int)>

    init(_ strictness: Strictness, now: Date = Date()) {
        state = Mutex((now.addingTimeInterval(strictness.qpsLimitStormSeconds), strictness.partialDeleteFaults))
    }

    /// Refuses every request with QpsLimitExceeded for `seconds` from now.
    func startStorm(seconds: Double, now: Date = Date()) {
        state.withLock { $0.stormUntil = now.addingTimeInterval(seconds) }
    }

    /// True while a storm lasts.
    func isStorming(now: Date = Date()) -> Bool { state.withLock { now < $0.stormUntil } }

    /// True (and one fewer left) when this DeleteMultipleObjects should delete only part of its batch.
    func takePartialDelete() -> Bool {
        state.withLock { s in
            guard s.partialDeletesLeft > 0 else { return false }
            s.partialDeletesLeft -= 1
            return true
        }
    }
}
