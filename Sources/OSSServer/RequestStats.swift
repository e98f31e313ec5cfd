import Synchronization

/// Per-operation request counters behind `GET /_ossfuse/stats`, plus the faults injected
/// (`FaultsInjected` = `FaultsServiceUnavailable` + `FaultsDropped`), so fault runs can report them.
final class RequestStats: Sendable {
    private let counts = Mutex([OSSOperation: Int]())
    private let faults = Mutex((serviceUnavailable: 0, dropped: 0))
    private let strictFaults = Mutex((qpsLimitExceeded: 0, partialDeletes: 0))

    /// Counts one request refused by a QpsLimitExceeded storm (`FaultsQpsLimitExceeded`).
    func recordQpsLimitExceeded() { strictFaults.withLock { $0.qpsLimitExceeded += 1 } }

    /// Counts one DeleteMultipleObjects answered with part of its batch left (`FaultsPartialDelete`).
    func recordPartialDelete() { strictFaults.withLock { $0.partialDeletes += 1 } }

    func record(_ operation: OSSOperation) {
        counts.withLock { $0[operation, default: 0] += 1 }
    }

    /// Counts one injected fault: a 503 answer or a dropped connection.
    func recordFault(dropped: Bool) {
        faults.withLock { if dropped { $0.dropped += 1 } else { $0.serviceUnavailable += 1 } }
    }

    func reset() {
        counts.withLock { $0.removeAll() }
        faults.withLock { $0 = (0, 0) }
        strictFaults.withLock { $0 = (0, 0) }
    }

    /// Every operation name with its count (zeros included), as a flat JSON object.
    func json() -> String {
        let snapshot = counts.withLock { $0 }
        let fields = OSSOperation.allCases.filter { $0 != .unsupported }.map { "\"\($0.rawValue)\":\(snapshot[$0, default: 0])" }
        let f = faults.withLock { $0 }
        let faultFields = ["\"FaultsInjected\":\(f.serviceUnavailable + f.dropped)",
                           "\"FaultsServiceUnavailable\":\(f.serviceUnavailable)", "\"FaultsDropped\":\(f.dropped)"]
            + strictFaults.withLock { ["\"FaultsQpsLimitExceeded\":\($0.qpsLimitExceeded)",
                                              "\"FaultsPartialDelete\":\($0.partialDeletes)"] }
        return "{" + (fields + faultFields).joined(separator: ",") + "}"
    }
}
