import Foundation

/// A point in time to the nanosecond, as `struct timespec` carries it. `Date` (a `Double` of
/// seconds) cannot: today's times keep only about 0.2 µs, so `.2` came back as `.200000048` and
/// `rsync`, which compares nanoseconds, saw every file as changed.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since the epoch (negative before 1970).
    public var seconds: Int64
    /// 0 ..< 1_000_000_000.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds + Int64(nanoseconds / 1_000_000_000)
        var nanos = nanoseconds % 1_000_000_000
        if nanos < 0 { nanos += 1_000_000_000; self.seconds -= 1 }
        self.nanoseconds = nanos
    }

    /// The date, to the precision a `Double` keeps (rounded to the microsecond, so a time made
    /// from a `Date` and one made from its `timespec` agree).
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        let micros = ((interval - whole) * 1_000_000).rounded()
        self.init(seconds: Int64(whole), nanoseconds: Int32(micros) * 1000)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// The metadata form s3fs writes (`string_util.cpp`, `str(struct timespec)`): whole seconds,
    /// then `.` and nine digits when there is a fraction. ossfs 1.x reads the seconds and stops at
    /// the dot; s3fs 1.91+ reads the nine digits as nanoseconds.
    public var metadataValue: String {
        nanoseconds == 0 ? String(seconds) : String(seconds) + "." + String(format: "%09d", nanoseconds)
    }

    /// Parses `SECONDS[.FRACTION]` into `tv_sec` and `tv_nsec`: the fraction as decimal digits of a
    /// second (so rclone's floats and s3fs's nine digits both read right; digits past the ninth are
    /// dropped). Nil for anything else.
    public init?(metadataValue text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]) else { return nil }
        var nanos: Int32 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let nine = String(digits.prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)
            nanos = Int32(nine) ?? 0
        }
        self.init(seconds: whole, nanoseconds: nanos)  // timespec fields, as s3fs reads them
    }

    public var description: String { metadataValue }
}
