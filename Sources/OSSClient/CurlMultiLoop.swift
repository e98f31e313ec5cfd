import CCurl
import Foundation
import Synchronization

/// One curl multi handle driven by one dedicated thread. Tasks submit transfers and await them;
/// the thread adds at most `maxTransfers` to the multi handle at once (the rest wait in a queue, so
/// no queued request can time out), reuses easy handles and their connections, and resumes each
/// waiting task when its transfer ends.
final class CurlMultiLoop: Sendable {
    private struct State {
        var queue: [CurlTransfer] = []
        var stopping = false
    }

    private let state = Mutex(State())
    private let settings: TransferSettings
    private let maxTransfers: Int
    /// The multi handle (a `CURLM *`), used by the loop thread only except for `curl_multi_wakeup`,
    /// which libcurl allows from any thread.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer

    init(maxTransfers: Int, settings: TransferSettings) throws {
        guard ccurl_global_init_once() == CURLE_OK else { throw TransportError(.other, "curl_global_init failed") }
        guard let m = curl_multi_init() else { throw TransportError(.other, "curl_multi_init failed") }
        multi = m
        self.maxTransfers = max(1, maxTransfers)
        self.settings = settings
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, self.maxTransfers)
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, self.maxTransfers)
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, self.maxTransfers)
        let thread = Thread { [self] in self.run() }
        thread.name = "ossfuse-curl"
        thread.start()
    }

    /// Sends `request` and returns its answer; throws `TransportFailure` or `CancellationError`.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let box = Mutex<CurlTransfer?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<HTTPResponse, Error>) in
                let t: CurlTransfer
                do { t = try CurlTransfer(request, continuation: c) } catch {
                    c.resume(throwing: TransportFailure(error: error as? TransportError ?? TransportError(.other, "\(error)"),
                                                        requestSent: false))
                    return
                }
                box.withLock { $0 = t }
                let accepted = state.withLock { s -> Bool in
                    if s.stopping { return false }
                    s.queue.append(t)
                    return true
                }
                if accepted { curl_multi_wakeup(multi) } else {
                    t.fail(TransportFailure(error: TransportError(.other, "the client was shut down"), requestSent: false))
                }
            }
        } onCancel: {
            if let t = box.withLock({ $0 }) {
                t.cancelled.store(true, ordering: .relaxed)
                curl_multi_wakeup(multi)
            }
        }
    }

    /// Stops the thread after failing whatever is still queued or running.
    func shutdown() {
        state.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    // MARK: loop thread

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var idle: [UnsafeMutableRawPointer] = []
        var stillRunning: Int32 = 0
        while true {
            let (incoming, stopping) = state.withLock { s -> ([CurlTransfer], Bool) in
                let room = max(0, maxTransfers - active.count)
                let n = min(room, s.queue.count)
                let taken = Array(s.queue.prefix(n))
                s.queue.removeFirst(n)
                return (taken, s.stopping)
            }
            if stopping { break }
            for t in incoming {
                if t.cancelled.load(ordering: .relaxed) { t.fail(CancellationError()); continue }
                guard let h = idle.popLast() ?? curl_easy_init() else {
                    t.fail(TransportFailure(error: TransportError(.other, "curl_easy_init failed"), requestSent: false))
                    continue
                }
                t.configure(h, settings: settings)
                active[h] = t
                curl_multi_add_handle(multi, h)
            }
            curl_multi_perform(multi, &stillRunning)
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard ccurl_msg_is_done(msg) != 0, let h = ccurl_msg_easy(msg) else { continue }
                let result = ccurl_msg_result(msg)
                curl_multi_remove_handle(multi, h)
                if let t = active.removeValue(forKey: h) { t.finish(h, result: result) }
                curl_easy_reset(h)
                idle.append(h)
            }
            // Cancelled transfers are aborted by their progress callback on the next perform.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        let leftover = state.withLock { s -> [CurlTransfer] in defer { s.queue.removeAll() }; return s.queue }
        let stopped = TransportFailure(error: TransportError(.other, "the client was shut down"), requestSent: false)
        for t in leftover { t.fail(stopped) }
        for (h, t) in active {
            curl_multi_remove_handle(multi, h)
            t.fail(stopped)
            curl_easy_cleanup(h)
        }
        for h in idle { curl_easy_cleanup(h) }
        curl_multi_cleanup(multi)
    }
}
