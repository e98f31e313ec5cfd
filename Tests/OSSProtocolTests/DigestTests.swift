import Foundation
import OSSProtocol
import XCTest

/// Content-MD5 / ETag examples of oss-protocol.md 2.3, and the SHA/HMAC primitives.
final class DigestTests: XCTestCase {
    func testContentMD5Examples() {
        XCTAssertEqual(Digest.contentMD5(Data("0123456789".utf8)), "eB5eJF1ptWaXm4bijSPyxw==")
        XCTAssertEqual(Digest.contentMD5(Data()), "1B2M2Y8AsgTpgAmY7PhCfg==")
    }

    func testETagIsQuotedUpperCaseMD5() {
        XCTAssertEqual(Digest.etag(Data("hello".utf8)), "\"5D41402ABC4B2A76B9719D911017C592\"")
        XCTAssertEqual(Digest.etag(Data()), "\"D41D8CD98F00B204E9800998ECF8427E\"")
    }

    func testMultipartETagIsTheMD5OfThePartMD5s() {
        // Parts "hello" and "world": MD5 over the two binary MD5s (computed independently, Python hashlib).
        let parts = [Digest.etag(Data("hello".utf8)), "7D793037A0760186574B0282F2F435E7"]
        XCTAssertEqual(Digest.multipartETag(partETags: parts), "\"065947336A2F2A95BA8899F3675C3BE6-2\"")
        XCTAssertEqual(Digest.etag(md5: Digest.md5(Data("hello".utf8)), suffix: "-1"), "\"5D41402ABC4B2A76B9719D911017C592-1\"")
        XCTAssertNil(Digest.multipartETag(partETags: ["\"5D41402ABC4B2A76B9719D911017C592-1\""]), "not an MD5")
        XCTAssertNil(Digest.multipartETag(partETags: ["\"ZZ41402ABC4B2A76B9719D911017C592\""]), "not hexadecimal")
    }

    func testSHA256AndHMACKnownValues() {
        XCTAssertEqual(Digest.hex(Digest.sha256(Data("abc".utf8))),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // RFC 4231 test case 2.
        XCTAssertEqual(Digest.hex(Digest.hmacSHA256(key: Data("Jefe".utf8), Data("what do ya want for nothing?".utf8))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // RFC 2202 test case 2.
        XCTAssertEqual(Digest.hex(Digest.hmacSHA1(key: Data("Jefe".utf8), Data("what do ya want for nothing?".utf8))),
                       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    func testStreamingDigestMatchesOneShot() {
        let s = Digest.Stream(.md5)
        s.update(Data("01234".utf8)); s.update(Data("56789".utf8))
        XCTAssertEqual(s.finish().base64EncodedString(), "eB5eJF1ptWaXm4bijSPyxw==")
    }
}
