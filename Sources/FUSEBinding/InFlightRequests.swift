import Foundation

/// Counts requests whose reply task has not finished, so shutdown can wait for them before
/// `fuse_session_destroy` frees the session the pending requests point into.
final class InFlightRequests: @unchecked Sendable {
    // @unchecked: all state is guarded by `condition`.
    private let condition = NSCondition()
    private var count = 0

    func enter() {
        condition.lock(); count += 1; condition.unlock()
    }

    func leave() {
        condition.lock()
        count -= 1
        if count == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Blocks until no request is in flight or `timeout` seconds passed; returns the number left.
    @discardableResult
    func waitUntilIdle(timeout: TimeInterval) -> Int {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while count > 0 {
            if !condition.wait(until: deadline) { break }
        }
        return count
    }
}
