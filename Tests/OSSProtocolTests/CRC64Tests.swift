import Foundation
import OSSProtocol
import XCTest

/// CRC-64/XZ check values of oss-protocol.md 2.3.
final class CRC64Tests: XCTestCase {
    func testCheckValues() {
        XCTAssertEqual(CRC64.checksum(Array("".utf8)), 0)
        XCTAssertEqual(CRC64.checksum(Array("123456789".utf8)), 11051210869376104954)
        XCTAssertEqual(CRC64.checksum(Array("123456789".utf8)), 0x995DC9BBDF1939FA)
        XCTAssertEqual(CRC64.checksum(Array("hello".utf8)), 11177612005948864433)
        XCTAssertEqual(CRC64.checksum(Array("0123456789".utf8)), 2838902930144391966)
    }

    func testStreamingUpdateEqualsOneShotForEverySplit() {
        let data = Array((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let whole = CRC64.checksum(data)
        for split in [0, 1, 7, 8, 9, 63, 500, 999, 1000] {
            var c = CRC64()
            c.update(data[0..<split])
            c.update(data[split...])
            XCTAssertEqual(c.value, whole, "split at \(split)")
        }
        var d = CRC64()
        Data(data).withUnsafeBytes { d.update($0) }
        XCTAssertEqual(d.value, whole)
    }

    func testCombineEqualsCRCOfConcatenation() {
        let a = Array("0123456789".utf8), b = Array("hello, world: a longer second part".utf8)
        XCTAssertEqual(CRC64.combine(CRC64.checksum(a), CRC64.checksum(b), length2: Int64(b.count)), CRC64.checksum(a + b))
        XCTAssertEqual(CRC64.combine(CRC64.checksum(a), 0, length2: 0), CRC64.checksum(a))
        XCTAssertEqual(CRC64.combine(0, CRC64.checksum(b), length2: Int64(b.count)), CRC64.checksum(b))
    }

    func testContinuingFromAKnownValue() {
        var c = CRC64(value: CRC64.checksum(Array("01234".utf8)))
        c.update(Array("56789".utf8))
        XCTAssertEqual(c.value, 2838902930144391966)
    }
}
