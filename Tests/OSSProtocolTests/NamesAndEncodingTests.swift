import Foundation
import OSSProtocol
import XCTest

/// Object/bucket name rules, percent-encoding and date formats.
final class NamesAndEncodingTests: XCTestCase {
    /// HTTP white space is trimmed as Foundation trims `.whitespaces` for such text (the signing
    /// vectors depend on it), and only that: non-ASCII spaces inside or around a value stay.
    func testHTTPWhitespaceTrimmingMatchesFoundationOnHeaderText() {
        for text in ["", " ", "\t \t", "a", " a ", "\ta b\t", "  x-oss-meta-a : v  ", "é ü", " 中文 "] {
            XCTAssertEqual(text.trimmingHTTPWhitespace(), text.trimmingCharacters(in: .whitespaces), "'\(text)'")
            XCTAssertEqual(text[...].trimmingHTTPWhitespace(), text.trimmingCharacters(in: .whitespaces), "'\(text)'")
        }
        XCTAssertEqual(" v\r\n".trimmingHTTPWhitespaceAndNewlines(), "v")
        XCTAssertEqual("\u{00A0}v\u{00A0}".trimmingHTTPWhitespace(), "\u{00A0}v\u{00A0}")
    }

    func testObjectNameRules() {
        XCTAssertTrue(ObjectName.isValid("a"))
        XCTAssertTrue(ObjectName.isValid("dir/中文 file+%.txt"))
        XCTAssertEqual(ObjectName.problem(""), .empty)
        XCTAssertEqual(ObjectName.problem("/a"), .leadingSlash)
        XCTAssertEqual(ObjectName.problem("\\a"), .leadingSlash)
        XCTAssertTrue(ObjectName.isValid(String(repeating: "x", count: 1023)))
        XCTAssertEqual(ObjectName.problem(String(repeating: "x", count: 1024)), .tooLong(1024))
        XCTAssertEqual(ObjectName.problem(String(repeating: "é", count: 512)), .tooLong(1024))
        XCTAssertThrowsError(try ObjectName.validate(""))
    }

    func testBucketNameRules() {
        XCTAssertTrue(BucketName.isValid("my-bucket-1"))
        XCTAssertFalse(BucketName.isValid("ab"))
        XCTAssertFalse(BucketName.isValid("-abc"))
        XCTAssertFalse(BucketName.isValid("abc-"))
        XCTAssertFalse(BucketName.isValid("Abc"))
        XCTAssertFalse(BucketName.isValid("a_b"))
        XCTAssertFalse(BucketName.isValid(String(repeating: "a", count: 64)))
    }

    func testPathAndQueryEncoding() {
        XCTAssertEqual(PercentEncoding.encodePath("1234+-/123/1.txt"), "1234%2B-/123/1.txt")
        XCTAssertEqual(PercentEncoding.encodeQuery("a b/c+d~"), "a%20b%2Fc%2Bd~")
        XCTAssertEqual(PercentEncoding.encodePath("中"), "%E4%B8%AD")
    }

    func testDecodingHandlesOnlyPercentEscapes() {
        XCTAssertEqual(PercentEncoding.decode("a%20b+c%2F"), "a b+c/")
        XCTAssertEqual(PercentEncoding.decode("%E4%b8%ad"), "中")
        XCTAssertNil(PercentEncoding.decode("bad%2"))
        XCTAssertNil(PercentEncoding.decode("bad%zz"))
        XCTAssertNil(PercentEncoding.decode("%FF"))
        let items = PercentEncoding.parseQuery("acl&prefix=a%2Fb&x=&k=v+w")
        XCTAssertEqual(items.map(\.name), ["acl", "prefix", "x", "k"])
        XCTAssertEqual(items.map(\.value), ["", "a/b", "", "v+w"])
    }

    func testRoundTripOfAwkwardKeys() {
        for k in ["a b", "中文!@#$%^&*()-=文件\u{0C}-1.txt", "100%", "x+y", "../..", "~tilde"] {
            XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encodeQuery(k)), k)
            XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encodePath(k)), k)
        }
    }

    func testDateFormats() {
        let d = Date(timeIntervalSince1970: 1672223261)
        XCTAssertEqual(HTTPDate.rfc1123(d), "Wed, 28 Dec 2022 10:27:41 GMT")
        XCTAssertEqual(HTTPDate.iso8601Basic(Date(timeIntervalSince1970: 1702743657)), "20231216T162057Z")
        XCTAssertEqual(HTTPDate.iso8601(Date(timeIntervalSince1970: 1330073352.5)), "2012-02-24T08:49:12.500Z")
        XCTAssertEqual(HTTPDate.parseRFC1123("Wed, 28 Dec 2022 10:27:41 GMT"), d)
        XCTAssertEqual(HTTPDate.parseISO8601Basic("20231216T162057Z"), Date(timeIntervalSince1970: 1702743657))
        XCTAssertEqual(HTTPDate.parseISO8601("2012-02-24T08:42:32.000Z"), Date(timeIntervalSince1970: 1330072952))
        XCTAssertEqual(HTTPDate.parseISO8601("2012-02-24T08:42:32Z"), Date(timeIntervalSince1970: 1330072952))
        XCTAssertNil(HTTPDate.parseRFC1123("yesterday"))
        XCTAssertNil(HTTPDate.parseISO8601Basic("2023-12-16T16:20:57Z"))
        XCTAssertNil(HTTPDate.parseISO8601("20231216T162057Z"))
    }
}
