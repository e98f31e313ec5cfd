import Foundation
import OSSProtocol

/// The bytes of one block file: a 32-byte header (magic, length, CRC-64 of the data, identity of
/// the block) then the data. Decoding checks all four, so a torn, truncated, corrupted or misplaced
/// file is refused, never returned.
enum BlockFile {
    static let magic: UInt64 = 0x4F53_5346_4342_4B31  // "OSSFCBK1"
    static let headerSize = 32

    static func encode(_ data: Data, identity: UInt64) -> Data {
        var out = Data(capacity: headerSize + data.count)
        for value in [magic, UInt64(data.count), CRC64.checksum(data), identity] {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
        }
        out.append(data)
        return out
    }

    /// The block's data (a slice of `file`), or nil when the file is not a valid block with this identity.
    static func decode(_ file: Data, identity: UInt64) -> Data? {
        guard file.count >= headerSize else { return nil }
        func word(_ i: Int) -> UInt64 {
            file[(file.startIndex + i * 8)..<(file.startIndex + i * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard word(0) == magic, word(3) == identity, word(1) == UInt64(file.count - headerSize) else { return nil }
        let data = file[(file.startIndex + headerSize)...]
        guard CRC64.checksum(data) == word(2) else { return nil }
        return data  // a slice: no copy (readers index from its startIndex)
    }
}
