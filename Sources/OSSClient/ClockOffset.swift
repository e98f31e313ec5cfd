import Foundation
import Synchronization

/// The difference between the server's clock and this machine's, learnt from the `Date` of a
/// `RequestTimeTooSkewed` answer (as the Go v2 SDK does) and added to every signature's time.
final class ClockOffset: Sendable {
    private let seconds = Mutex<TimeInterval>(0)

    /// The local time corrected by the learnt offset.
    func now() -> Date { Date().addingTimeInterval(seconds.withLock { $0 }) }

    /// The offset in effect.
    var offset: TimeInterval { seconds.withLock { $0 } }

    /// Learns the offset from `serverDate` (an RFC 1123 `Date` header); a missing or unreadable
    /// header, or one within 1 s of the offset in effect, changes nothing.
    func correct(serverDate: String?) {
        guard let serverDate, let server = HTTPDate.parseRFC1123(serverDate) else { return }
        let newOffset = server.timeIntervalSince(Date())
        seconds.withLock { current in
            if abs(newOffset - current) > 1 { current = newOffset }
        }
    }
}
