import Foundation

/// Date formats of the protocol: RFC 1123 (`Date`, `Last-Modified`), ISO-8601 basic (`x-oss-date`),
/// ISO-8601 with milliseconds (XML bodies). All UTC; parsing is locale-independent.
public enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func fields(_ date: Date) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, ms: Int, wd: Int) {
        let t = date.timeIntervalSince1970
        let secs = Int(floor(t))
        let ms = min(999, Int(((t - Double(secs)) * 1000).rounded(.down)))
        var tmv = tm()
        var tt = time_t(secs)
        gmtime_r(&tt, &tmv)
        return (Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday), Int(tmv.tm_hour),
                Int(tmv.tm_min), Int(tmv.tm_sec), ms, Int(tmv.tm_wday))
    }

    private static func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private static func p3(_ v: Int) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }

    /// `Wed, 28 Dec 2022 10:27:41 GMT`.
    public static func rfc1123(_ date: Date) -> String {
        let f = fields(date)
        return "\(days[f.wd]), \(p2(f.d)) \(months[f.mo - 1]) \(f.y) \(p2(f.h)):\(p2(f.mi)):\(p2(f.s)) GMT"
    }

    /// `20231216T162057Z`.
    public static func iso8601Basic(_ date: Date) -> String {
        let f = fields(date)
        return "\(f.y)\(p2(f.mo))\(p2(f.d))T\(p2(f.h))\(p2(f.mi))\(p2(f.s))Z"
    }

    /// `2012-02-24T08:42:32.000Z`.
    public static func iso8601(_ date: Date) -> String {
        let f = fields(date)
        return "\(f.y)-\(p2(f.mo))-\(p2(f.d))T\(p2(f.h)):\(p2(f.mi)):\(p2(f.s)).\(p3(f.ms))Z"
    }

    private static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Date? {
        guard (1...12).contains(mo), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi),
              (0...60).contains(s) else { return nil }
        var tmv = tm()
        tmv.tm_year = Int32(y - 1900); tmv.tm_mon = Int32(mo - 1); tmv.tm_mday = Int32(d)
        tmv.tm_hour = Int32(h); tmv.tm_min = Int32(mi); tmv.tm_sec = Int32(s)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tmv)))
    }

    /// Parses RFC 1123 (`Wed, 28 Dec 2022 10:27:41 GMT`); nil when malformed.
    public static func parseRFC1123(_ s: String) -> Date? {
        let parts = s.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT" || parts[5] == "UTC",
              let d = Int(parts[1]), let mo = months.firstIndex(of: String(parts[2])), let y = Int(parts[3])
        else { return nil }
        let t = parts[4].split(separator: ":")
        guard t.count == 3, let h = Int(t[0]), let mi = Int(t[1]), let sec = Int(t[2]) else { return nil }
        return make(y, mo + 1, d, h, mi, sec)
    }

    /// Parses ISO-8601 basic (`20231216T162057Z`); nil when malformed.
    public static func parseISO8601Basic(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count == 16, b[8] == 0x54, b[15] == 0x5A else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11),
              let mi = num(11..<13), let sec = num(13..<15) else { return nil }
        return make(y, mo, d, h, mi, sec)
    }

    /// Parses ISO-8601 extended with optional fraction (`2012-02-24T08:42:32.000Z`); nil when malformed.
    public static func parseISO8601(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              b.last == 0x5A else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
              let mi = num(14..<16), let sec = num(17..<19), let base = make(y, mo, d, h, mi, sec) else { return nil }
        var frac = 0.0
        if b[19] == 0x2E {
            let digits = b[20..<(b.count - 1)]
            guard !digits.isEmpty, let v = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
            frac = Double(v) / pow(10, Double(digits.count))
        } else if b.count != 20 { return nil }
        return base.addingTimeInterval(frac)
    }
}
