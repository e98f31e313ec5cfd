import NIOConcurrencyHelpers

/// Per-operation request counters behind `GET /_ossfuse/stats`.
final class RequestStats: Sendable {
    private let counts = NIOLockedValueBox([OSSOperation: Int]())

    func record(_ operation: OSSOperation) {
        counts.withLockedValue { $0[operation, default: 0] += 1 }
    }

    func reset() { counts.withLockedValue { $0.removeAll() } }

    /// Every operation name with its count (zeros included), as a flat JSON object.
    func json() -> String {
        let snapshot = counts.withLockedValue { $0 }
        let fields = OSSOperation.allCases.filter { $0 != .unsupported }.map { "\"\($0.rawValue)\":\(snapshot[$0, default: 0])" }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
