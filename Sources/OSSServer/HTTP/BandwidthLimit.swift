import Foundation
import Synchronization

/// `--bandwidth`: response bodies share one link of this many bytes per second, as clients of a
/// remote OSS endpoint do. Each body is held until the link would have carried it after every
/// body before it (then sent at local speed): throughput over many requests matches the limit.
final class BandwidthLimit: Sendable {
    let bytesPerSecond: Double
    /// When the link is free again (`DispatchTime` uptime, nanoseconds).
    private let freeAt = Mutex<UInt64>(0)

    init(bytesPerSecond: Int) { self.bytesPerSecond = Double(bytesPerSecond) }

    /// Reserves the link for `bytes`; returns the nanoseconds to wait before sending them.
    func reserve(_ bytes: Int) -> UInt64 {
        let now = DispatchTime.now().uptimeNanoseconds
        let cost = UInt64(Double(bytes) / bytesPerSecond * 1e9)
        return freeAt.withLock { freeAt in
            freeAt = max(freeAt, now) + cost
            return freeAt - now
        }
    }
}
