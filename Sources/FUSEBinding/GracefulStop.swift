@preconcurrency import CFuse3
import Foundation
@preconcurrency import Glibc
import OSSFileSystem
import Synchronization

/// How a mount stopped on a signal: which signal, and what the upload of open files achieved.
public struct StopOutcome: Sendable, Equatable {
    /// The first termination signal received (SIGTERM, SIGINT, SIGHUP or SIGQUIT).
    public var signal: Int32
    /// The upload of every open file with unsaved writes; nil when the stop did not wait for it
    /// to finish (a second signal, or `stop_timeout` passed).
    public var report: FlushReport?
    /// Every staged write is stored.
    public var isComplete: Bool { report.map { $0.failed == 0 } ?? false }
}

/// The stop sequence of a mount: the first termination signal starts uploading every open file
/// with unsaved writes while the loop keeps serving; once that ends, or a second signal arrives,
/// or `timeout` passes, the loop is ended (and the session then unmounts).
///
/// Termination signals stay blocked in every thread; one watcher thread takes them with
/// `sigtimedwait`, so no Swift code runs in a signal handler. libfuse's multi-threaded loop waits
/// in `sem_wait` on its own thread, which only a signal handler interrupts: ending the loop is
/// `fuse_session_exit` plus `wakeSignal` sent to that thread (a handler that does nothing).
final class GracefulStop: Sendable {
    /// Sent to the loop thread to interrupt its wait once the session is marked exited.
    static let wakeSignal = SIGUSR2

    private struct State {
        enum Phase { case serving, flushing(deadline: Date), ending }
        var phase = Phase.serving
        var signal: Int32 = 0
        var report: FlushReport?
        var forced = false
        /// The loop returned: the loop thread may be gone and the session about to be destroyed.
        var loopReturned = false
        var loopThread: pthread_t?
    }

    private let state = Mutex(State())
    private let fileSystem: any FileSystemOperations
    private let session: SessionPointer
    private let timeout: TimeInterval
    private let onStopping: (@Sendable (Int32) -> Void)?

    init(fileSystem: any FileSystemOperations, session: SessionPointer, timeout: TimeInterval,
         onStopping: (@Sendable (Int32) -> Void)? = nil) {
        self.fileSystem = fileSystem
        self.session = session
        self.timeout = timeout
        self.onStopping = onStopping
    }

    /// Installs the do-nothing handler of `wakeSignal` and ignores SIGPIPE (as libfuse's own
    /// `fuse_set_signal_handlers` would). Process-wide; idempotent.
    static func installHandlers() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(wakeSignal, &action, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Called by the loop thread before it enters the loop.
    func loopStarted() { state.withLock { $0.loopThread = pthread_self() } }

    /// Called by the loop thread as soon as the loop returned.
    func loopReturned() { state.withLock { $0.loopReturned = true } }

    /// The outcome once a signal stopped the mount, else nil.
    var outcome: StopOutcome? {
        state.withLock { s in s.signal == 0 ? nil : StopOutcome(signal: s.signal, report: s.forced ? nil : s.report) }
    }

    /// Whether the stop was cut short (second signal or deadline).
    var wasForced: Bool { state.withLock { $0.forced } }

    /// Starts the watcher thread; it ends by itself once the loop returned.
    func startWatching() {
        let thread = Thread { [self] in watch() }
        thread.name = "fuse-stop"
        thread.start()
    }

    private func watch() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in FUSESession.terminationSignals { sigaddset(&set, signal) }
        while true {
            var info = siginfo_t()
            var wait = timespec(tv_sec: 0, tv_nsec: 200_000_000)
            let received = sigtimedwait(&set, &info, &wait)
            if !step(received: received > 0 ? received : nil) { return }
        }
    }

    /// One turn of the watcher; false once the loop returned.
    private func step(received: Int32?) -> Bool {
        enum Action { case none, flush(Int32), end(String?) }
        let action: Action? = state.withLock { s in
            if s.loopReturned { return nil }
            switch s.phase {
            case .serving:
                guard let received else { return Action.none }
                s.signal = received
                s.phase = .flushing(deadline: Date(timeIntervalSinceNow: timeout))
                return .flush(received)
            case .flushing(let deadline):
                if let received {
                    s.forced = true; s.phase = .ending
                    return .end("\(Self.name(received)) again: stopping without waiting for the uploads")
                }
                if s.report != nil { s.phase = .ending; return .end(nil) }
                if Date() >= deadline {
                    s.forced = true; s.phase = .ending
                    return .end("stop_timeout (\(Self.seconds(timeout))) passed: stopping without waiting for the uploads")
                }
                return Action.none
            case .ending:
                // Repeated until the loop returns: the first wake may come before the loop waits.
                if let thread = s.loopThread { pthread_kill(thread, Self.wakeSignal) }
                return Action.none
            }
        }
        switch action {
        case nil: return false
        case .none?: break
        case .flush(let signal)?:
            onStopping?(signal)
            FUSELog.notice("\(Self.name(signal)): uploading open files, then unmounting (at most \(Self.seconds(timeout));"
                           + " a second signal stops at once)")
            let fileSystem = self.fileSystem
            Task.detached { [self] in
                let report = await fileSystem.flushAll()
                state.withLock { $0.report = report }
            }
        case .end(let reason)?:
            if let reason { FUSELog.error(reason) }
            if let report = state.withLock({ $0.report }), report.uploaded + report.failed > 0 {
                FUSELog.notice("stop: \(report.uploaded) open file\(report.uploaded == 1 ? "" : "s") uploaded, \(report.failed) failed")
            }
            endLoop()
        }
        return true
    }

    /// Marks the session exited and interrupts the loop thread's wait.
    private func endLoop() {
        state.withLock { s in
            guard !s.loopReturned else { return }
            fuse_session_exit(session.raw)
            if let thread = s.loopThread { pthread_kill(thread, Self.wakeSignal) }
        }
    }

    private static func name(_ signal: Int32) -> String {
        [SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT"][signal] ?? "signal \(signal)"
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// The session pointer, moved into the loop and watcher threads.
struct SessionPointer: @unchecked Sendable {
    // @unchecked: libfuse's session is used by exactly one loop at a time; `fuse_session_exit`
    // only sets a flag the loop reads.
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
}
