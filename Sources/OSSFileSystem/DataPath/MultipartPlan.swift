/// How an object of a given size is cut into multipart-upload parts: numbered from 1, contiguous, in
/// ascending order, every part but the last exactly `partSize` bytes. The part size is raised where
/// needed to respect OSS's limits (at least 100 KiB per non-last part, at most 10,000 parts).
public struct MultipartPlan: Sendable, Equatable {
    /// One part: its number and the bytes of the staging file it carries.
    public struct Part: Sendable, Equatable {
        /// Part number, from 1.
        public var number: Int
        /// Bytes of the staging file it carries.
        public var range: Range<Int64>
        /// Bytes in the part.
        public var length: Int64 { range.upperBound - range.lowerBound }
    }

    /// OSS limits (oss-protocol.md 2.12).
    public static let minimumPartSize: Int64 = 100 << 10
    public static let maximumPartCount = 10_000

    /// Bytes of the whole object.
    public let size: Int64
    /// The part size actually used.
    public let partSize: Int64

    /// Plans parts of `preferredPartSize` bytes (raised to fit the limits) for `size` bytes.
    public init(size: Int64, preferredPartSize: Int64) {
        self.size = max(0, size)
        let fewestParts = (self.size + Int64(Self.maximumPartCount) - 1) / Int64(Self.maximumPartCount)
        self.partSize = max(preferredPartSize, Self.minimumPartSize, fewestParts)
    }

    /// Number of parts (0 for an empty object, which is never uploaded with multipart).
    public var partCount: Int { Int((size + partSize - 1) / partSize) }

    /// The parts in ascending order.
    public var parts: [Part] { (0..<partCount).map { part(number: $0 + 1) } }

    /// Part `number` (1-based, ≤ `partCount`).
    public func part(number: Int) -> Part {
        let start = Int64(number - 1) * partSize
        return Part(number: number, range: start..<min(size, start + partSize))
    }

    /// The number of the part holding byte `offset`.
    public func partNumber(containing offset: Int64) -> Int { Int(offset / partSize) + 1 }
}
