/// What AppendObject answers.
public struct AppendResult: Sendable, Equatable {
    /// The object's length after the append (the next `position`).
    public var nextPosition: Int64
    /// CRC-64 of the whole object after the append.
    public var crc64: UInt64?
    public var etag: String
    /// Creates a result.
    public init(nextPosition: Int64, crc64: UInt64?, etag: String) { self.nextPosition = nextPosition; self.crc64 = crc64; self.etag = etag }
}
