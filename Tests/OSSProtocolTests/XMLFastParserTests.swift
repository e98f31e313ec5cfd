import Foundation
@testable import OSSProtocol
import XCTest

/// The one-pass listing parser builds the tree FoundationXML builds, or declines (nil) and leaves
/// the document to it.
final class XMLFastParserTests: XCTestCase {
    private func shape(_ node: XMLNode) -> String {
        "<\(node.name)>[\(node.text)]" + node.children.map(shape).joined() + "</>"
    }

    private func assertSameTree(_ xml: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = Data(xml.utf8)
        let full = try XMLNode.parse(data)
        guard let fast = XMLFastParser.parse(data) else { return XCTFail("fast parser declined: \(xml)", file: file, line: line) }
        XCTAssertEqual(shape(fast), shape(full), xml, file: file, line: line)
    }

    func testOddInputsGiveFoundationsTree() throws {
        try assertSameTree(#"<?xml version="1.0" encoding="UTF-8"?><a><b>x</b></a>"#)
        try assertSameTree("<a>&lt;&gt;&amp;&quot;&apos;</a>")
        try assertSameTree("<a>&#65;&#x42;&#x1F600;&#233;</a>")
        try assertSameTree("<a><![CDATA[<not> &amp; markup]]></a>")
        try assertSameTree("<a>one<![CDATA[two]]>three</a>")
        try assertSameTree("<a><Delimiter/><Prefix></Prefix><c  /></a>")
        try assertSameTree(#"<ns:a xmlns:ns="urn:x"><ns:b attr="1 > 0" other='/'>v</ns:b></ns:a>"#)
        try assertSameTree("<a><!-- a comment <b> --><b>x</b></a>")
        try assertSameTree("<a>\n  <b>é 中文 😀</b>\n</a>\n")
        try assertSameTree("<a>line1\r\nline2\rline3</a>")
        try assertSameTree("\u{FEFF}<a>bom</a>")
        try assertSameTree("<a >x</a >")
    }

    func testDeclinesWhatItDoesNotHandle() {
        for xml in ["<!DOCTYPE a><a/>", "<a><?pi data?></a>", "<a>&unknown;</a>", "<a>&#0;</a>", "<a><b></a>",
                    "<a></a><b></b>", "text<a/>", "<a>\u{01}</a>", "<a>]]></a>", "<a", "<a>&amp</a>", ""] {
            XCTAssertNil(XMLFastParser.parse(Data(xml.utf8)), xml)
        }
        // Declined documents still get the full parser's answer through parseFast.
        XCTAssertThrowsError(try XMLNode.parseFast(Data("<a><b></a>".utf8)))
        XCTAssertThrowsError(try XMLNode.parseFast(Data("<!DOCTYPE a><a/>".utf8)))
        XCTAssertThrowsError(try XMLNode.parseFast(Data([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E])))
    }

    func testListingPageWithEntitiesAndURLEncodingDecodes() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
              <Name>b</Name><Prefix>d%2F</Prefix><MaxKeys>2</MaxKeys><Delimiter>%2F</Delimiter>
              <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
              <NextContinuationToken>tok&amp;en</NextContinuationToken>
              <Contents><Key>d%2Fa%20b%26c</Key><LastModified>2020-05-18T05:45:47.000Z</LastModified>
                <ETag>&quot;5B3C1A2E&quot;</ETag><Type>Symlink</Type><Size>25</Size><StorageClass>IA</StorageClass></Contents>
              <Contents><Key>d%2F%E4%B8%AD</Key><LastModified>2020-05-18T05:45:47.000Z</LastModified><ETag/><Size>0</Size></Contents>
              <CommonPrefixes><Prefix>d%2Fsub%2F</Prefix></CommonPrefixes>
            </ListBucketResult>
            """
        XCTAssertNotNil(XMLFastParser.parse(Data(xml.utf8)), "a listing page takes the fast path")
        let page = try ListObjectsPage.decode(Data(xml.utf8))
        XCTAssertEqual(page.prefix, "d/")
        XCTAssertEqual(page.delimiter, "/")
        XCTAssertTrue(page.isTruncated)
        XCTAssertEqual(page.nextContinuationToken, "tok&en")
        XCTAssertEqual(page.contents.map(\.key), ["d/a b&c", "d/中"])
        XCTAssertEqual(page.contents.first?.etag, "\"5B3C1A2E\"")
        XCTAssertEqual(page.contents.first?.type, .symlink)
        XCTAssertEqual(page.contents.first?.storageClass, "IA")
        XCTAssertEqual(page.contents.last?.etag, "")
        XCTAssertEqual(page.commonPrefixes, ["d/sub/"])
    }

    func testThousandEntryPageMatchesFoundationAndReportsCost() throws {
        let contents = (0..<1000).map {
            ObjectSummary(key: "dir/file-\($0) <&>\"'", lastModified: Date(timeIntervalSince1970: 1589780747), etag: "\"E\($0)\"",
                          size: Int64($0))
        }
        let page = ListObjectsPage(bucket: "b", prefix: "dir/", delimiter: "/", maxKeys: 1000, contents: contents,
                                   commonPrefixes: ["dir/sub/"])
        let data = page.xmlDocument()
        let fast = try XCTUnwrap(XMLFastParser.parse(data))
        XCTAssertEqual(shape(fast), shape(try XMLNode.parse(data)))
        XCTAssertEqual(try ListObjectsPage.decode(data), page)
        // Printed, not asserted (no test depends on time): the cost of each parser on this page.
        let clock = ContinuousClock()
        let foundation = clock.measure { for _ in 0..<5 { _ = try? XMLNode.parse(data) } }
        let onePass = clock.measure { for _ in 0..<5 { _ = XMLFastParser.parse(data) } }
        let decode = clock.measure { for _ in 0..<5 { _ = try? ListObjectsPage.decode(data) } }
        print("1000-entry page: FoundationXML \(foundation / 5), one-pass \(onePass / 5), whole decode \(decode / 5)")
    }
}
