import Foundation
import OSSProtocol
import Synchronization

/// The body of one prefetched chunk while its GET is under way: a read waits only for the bytes it
/// needs, not for the whole chunk (8 MiB by default), so the reader keeps pace with the download.
/// Fed by the store (`received`, on the store's thread) and by the GET's end (`finish`).
final class ArrivingBody: BodyProgress {
    private struct State {
        var prefix = Data()
        var outcome: Result<Data, any Error>?
        var waiters: [(count: Int, continuation: CheckedContinuation<Data, any Error>)] = []
    }

    /// Bytes asked for: a longer prefix is a wrong answer, left for the GET's own check to reject.
    private let length: Int
    private let state = Mutex(State())

    init(length: Int) { self.length = length }

    func received(_ prefix: Data) {
        guard prefix.count <= length else { return }
        let ready = state.withLock { s -> [CheckedContinuation<Data, any Error>] in
            guard s.outcome == nil else { return [] }
            s.prefix = prefix
            var ready: [CheckedContinuation<Data, any Error>] = []
            s.waiters.removeAll { waiter in
                guard waiter.count <= prefix.count else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: prefix) }
    }

    /// The GET ended: its whole answer, or its failure, for every read still waiting and to come.
    func finish(_ outcome: Result<Data, any Error>) {
        let waiters = state.withLock { s -> [CheckedContinuation<Data, any Error>] in
            guard s.outcome == nil else { return [] }
            s.outcome = outcome
            s.prefix = Data()
            defer { s.waiters.removeAll() }
            return s.waiters.map(\.continuation)
        }
        for continuation in waiters { continuation.resume(with: outcome) }
    }

    /// At least the body's first `count` bytes, or the whole body when it ends sooner; throws the
    /// GET's failure.
    func bytes(atLeast count: Int) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            let now = state.withLock { s -> Result<Data, any Error>? in
                if let outcome = s.outcome { return outcome }
                if s.prefix.count >= count { return .success(s.prefix) }
                s.waiters.append((count, continuation))
                return nil
            }
            if let now { continuation.resume(with: now) }
        }
    }
}
