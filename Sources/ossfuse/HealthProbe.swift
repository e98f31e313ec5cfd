import Foundation
import OSSProtocol
import Synchronization

/// The `/health` answer: the mount-time check (a one-key listing of the mount's prefix) run again
/// with the current credentials, so an unreachable endpoint, a missing bucket or refused
/// credentials all show, not only a dead process.
enum HealthProbe {
    /// A probe that returns nil when `store` answers, else the reason in one sentence; it waits at
    /// most `timeout` seconds. Blocks: call it from a thread of its own.
    static func make(_ store: any ObjectStore, settings: MountSettings,
                     timeout: TimeInterval = 10) -> @Sendable () -> String? {
        return {
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                do throws(MountSettingsError) {
                    try await Backend.check(store, settings: settings)
                } catch {
                    outcome.problem.withLock { $0 = error.description }
                }
                done.signal()
            }
            if done.wait(timeout: .now() + timeout) == .timedOut {
                return "no answer from \(settings.endpoint) within \(Int(timeout)) s"
            }
            return outcome.problem.withLock { $0 }
        }
    }

    private final class Outcome: Sendable {
        let problem = Mutex<String?>(nil)
    }
}
