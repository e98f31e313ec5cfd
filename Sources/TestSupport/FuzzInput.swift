import Foundation

/// Seeded randomness and input mutation for the fuzz tests: iteration-bounded (never
/// time-bounded), reproducible from the seed and iteration printed on failure.
/// `OSSFUSE_FUZZ_ITERATIONS` raises the count (scripts/fuzz), `OSSFUSE_FUZZ_SEED` changes the
/// seed, `OSSFUSE_FUZZ_TRACE=1` prints each iteration before it runs, and `OSSFUSE_FUZZ_LAST_INPUT=FILE`
/// keeps the latest hostile input in FILE (a crash kills the process: the file holds its input).
public struct FuzzInput: RandomNumberGenerator {
    private var generator: SeededGenerator

    /// Iterations per fuzz test.
    public static var iterations: Int {
        ProcessInfo.processInfo.environment["OSSFUSE_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 300
    }

    /// Base seed of every fuzz test.
    public static var seed: UInt64 {
        ProcessInfo.processInfo.environment["OSSFUSE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x05EE_D0F0_55F0_5E00
    }

    /// The generator of iteration `iteration` of test `name`, independent of every other iteration.
    public init(test name: String, iteration: Int) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        generator = SeededGenerator(seed: Self.seed ^ h ^ (UInt64(iteration) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// Runs `body` once per iteration with its own generator; names the seed and iteration of a failure.
    public static func run(_ name: String, _ body: (inout FuzzInput, _ context: String) throws -> Void) rethrows {
        let trace = ProcessInfo.processInfo.environment["OSSFUSE_FUZZ_TRACE"] != nil
        for i in 0..<iterations {
            var rng = FuzzInput(test: name, iteration: i)
            let context = "\(name) seed \(seed) iteration \(i)"
            if trace { FileHandle.standardError.write(Data("fuzz: \(context)\n".utf8)) }
            try body(&rng, context)
        }
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 { generator.next() }

    /// A uniformly random integer of `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    /// A random element of `items` (not empty).
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    /// `count` random bytes (one `UInt8.random` each).
    public mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }

    /// Any Unicode scalars (control characters, NUL, astral planes, combining marks included).
    public mutating func anyString(maxScalars: Int = 40) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<int(0...maxScalars) {
            let ranges: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF]
            if let u = Unicode.Scalar(UInt32.random(in: pick(ranges), using: &self)) { s.append(u) }
        }
        return String(s)
    }

    /// Text XML 1.0 can carry unchanged: no control characters but tab and newline, no CR
    /// (parsers normalise it), markup characters included (the writer must escape them).
    public mutating func xmlSafeString(maxScalars: Int = 30) -> String {
        let specials: [Character] = ["<", ">", "&", "\"", "'", " ", "\t", "\n", "%", "+", "/", "]", "=", "é", "文", "😀", "\u{301}"]
        var s = ""
        for _ in 0..<int(0...maxScalars) {
            if chance(0.3) { s.append(pick(specials)) } else { s.append(Character(Unicode.Scalar(UInt8(int(0x21...0x7E))))) }
        }
        return s
    }

    /// `[A-Za-z0-9]` of the given length range.
    public mutating func token(_ length: ClosedRange<Int>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<int(length)).map { _ in pick(alphabet) })
    }

    /// Date with whole seconds (what ISO-8601 with milliseconds and RFC 1123 both carry exactly).
    public mutating func date() -> Date { Date(timeIntervalSince1970: TimeInterval(int(0...4_102_444_800))) }

    /// Dictionary of fragments that trip XML, percent-encoding, number and signature parsers.
    public static let tokens: [String] = [
        "<", ">", "</", "/>", "&", "&amp;", "&#0;", "&#xFFFF;", "&#x110000;", "&lt;", "&bogus;", "<![CDATA[", "]]>",
        "<!--", "-->", "<!DOCTYPE a [<!ENTITY e \"xx\">]>", "&e;", "<?xml version=\"1.0\"?>", "\u{0}", "%", "%2",
        "%ZZ", "%FF", "%C3%28", "%00", "99999999999999999999999", "-1", "true", "false", "<Key>", "</Key>",
        "<Contents>", "</Contents>", "<EncodingType>url</EncodingType>", "<Size>-5</Size>",
        "<LastModified>9999-99-99T99:99:99.999Z</LastModified>", "<PartNumber>99999999999999999999</PartNumber>",
        "xmlns:a=\"b\"", "a:Key", "\r\n", "\u{FEFF}", "é", "=", ",", ";", "/", " ", "OSS ",
        "OSS4-HMAC-SHA256 ", "Credential=", "Signature=", "AdditionalHeaders=", "aliyun_v4_request",
    ]

    /// `seed` with 1...8 random edits: bit flips, byte changes, insertions, deletions,
    /// duplications, truncation, and dictionary tokens.
    public mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var d = seed
        for _ in 0..<int(1...8) {
            let at = d.isEmpty ? 0 : int(0...d.count - 1)
            switch int(0...7) {
            case 0 where !d.isEmpty: d[at] ^= UInt8(1) << UInt8(int(0...7))
            case 1 where !d.isEmpty: d[at] = UInt8(int(0...255))
            case 2: d.insert(contentsOf: bytes(int(1...8)), at: at)
            case 3 where !d.isEmpty: d.removeSubrange(at..<min(d.count, at + int(1...32)))
            case 4 where !d.isEmpty:
                let chunk = d[at..<min(d.count, at + int(1...64))]
                d.insert(contentsOf: chunk, at: int(0...d.count))
            case 5 where !d.isEmpty: d.removeSubrange(at...)
            default: d.insert(contentsOf: Array(pick(Self.tokens).utf8), at: at)
            }
        }
        return d
    }

    /// Either pure random bytes or a mutation of `seed`.
    public mutating func hostile(from seed: Data) -> Data {
        let data = chance(0.15) ? Data(bytes(int(0...256))) : Data(mutate(Array(seed)))
        if let path = ProcessInfo.processInfo.environment["OSSFUSE_FUZZ_LAST_INPUT"] {
            _ = FileManager.default.createFile(atPath: path, contents: data)
        }
        return data
    }
}
