/// Decides which requests get an injected fault (`--fault-rate`): half of the faults answer 503
/// ServiceUnavailable, the other half drop the connection without an answer.
struct FaultInjector: Sendable {
    /// What to do with one request.
    enum Decision: Sendable { case none, serviceUnavailable, dropConnection }

    let rate: Double

    func decide() -> Decision {
        guard rate > 0, Double.random(in: 0..<1) < rate else { return .none }
        return Bool.random() ? .serviceUnavailable : .dropConnection
    }
}
