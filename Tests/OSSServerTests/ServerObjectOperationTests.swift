import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// Listing, copy, append and multipart through the HTTP layer.
final class ServerObjectOperationTests: XCTestCase {
    func testListingV2PagesInByteOrderWithDelimiter() async throws {
        let server = try ServerProcess()
        let client = RawOSSClient(server: server)
        let keys = ["a/b", "a-b", "a/", "a0", "Z", "é", "a/b/c"]
        for key in keys { _ = try await client.send("PUT", key: key, body: Data(key.utf8)) }
        var seen: [String] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("max-keys", "2")]
            if let token { query.append(("continuation-token", token)) }
            let response = try await client.send("GET", key: nil, query: query)
            let page = try ListObjectsPage.decode(response.body)
            seen += page.contents.map(\.key)
            token = page.nextContinuationToken
        } while token != nil
        XCTAssertEqual(seen, keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        let groupedResponse = try await client.send("GET", key: nil, query: [("list-type", "2"), ("delimiter", "/")])
        let grouped = try ListObjectsPage.decode(groupedResponse.body)
        XCTAssertEqual(grouped.commonPrefixes, ["a/"])
        XCTAssertEqual(grouped.contents.map(\.key), ["Z", "a-b", "a0", "é"])
    }

    func testCopyAppendAndMultipart() async throws {
        let server = try ServerProcess()
        let client = RawOSSClient(server: server)
        _ = try await client.send("PUT", key: "src", body: Data("copy me".utf8))
        let copy = try await client.send("PUT", key: "dst", headers: [("x-oss-copy-source", "/test/src")])
        XCTAssertEqual(copy.status, 200, copy.text)
        let copied = try await client.send("GET", key: "dst")
        XCTAssertEqual(copied.text, "copy me")

        let first = try await client.send("POST", key: "log", query: [("append", ""), ("position", "0")], body: Data("ab".utf8))
        XCTAssertEqual(first.header("x-oss-next-append-position"), "2")
        let wrong = try await client.send("POST", key: "log", query: [("append", ""), ("position", "0")], body: Data("c".utf8))
        XCTAssertEqual(wrong.errorCode, "PositionNotEqualToLength")
        XCTAssertEqual(wrong.header("x-oss-next-append-position"), "2")

        let initiate = try await client.send("POST", key: "mp", query: [("uploads", "")])
        let uploadId = try InitiateMultipartUploadResult.decode(initiate.body).uploadId
        let part1 = Data(repeating: 1, count: 100 * 1024)
        let e1 = try await client.send("PUT", key: "mp", query: [("partNumber", "1"), ("uploadId", uploadId)], body: part1)
        let e2 = try await client.send("PUT", key: "mp", query: [("partNumber", "2"), ("uploadId", uploadId)], body: Data("end".utf8))
        let document = CompleteMultipartUpload(parts: [UploadedPart(number: 1, etag: e1.header("etag") ?? ""),
                                                       UploadedPart(number: 2, etag: e2.header("etag") ?? "")]).xmlDocument()
        let complete = try await client.send("POST", key: "mp", query: [("uploadId", uploadId)], body: document)
        XCTAssertEqual(complete.status, 200, complete.text)
        XCTAssertTrue(try CompleteMultipartUploadResult.decode(complete.body).etag.hasSuffix("-2\""))
        let whole = try await client.send("GET", key: "mp")
        XCTAssertEqual(whole.body, part1 + Data("end".utf8))
        XCTAssertEqual(whole.header("x-oss-hash-crc64ecma"), String(CRC64.checksum(part1 + Data("end".utf8))))
    }
}
