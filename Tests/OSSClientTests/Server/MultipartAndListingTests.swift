import Foundation
import OSSClient
import XCTest

/// Multipart uploads, listings with paging and delimiters, and bucket information.
final class MultipartAndListingTests: ServerTestCase {
    func testMultipartUploadFromFileParts() async throws {
        let c = try client()
        let data = Self.bytes(300 * 1024 + 17, seed: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ossclient-mp-\(UUID().uuidString)").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let id = try await c.initiateMultipartUpload("mp/obj", options: WriteOptions(userMetadata: ["m": "1"]))
        let p2 = try await c.uploadPart("mp/obj", uploadId: id, partNumber: 2,
                                        body: .file(path: path, offset: 150 * 1024, length: Int64(data.count - 150 * 1024)))
        let p1 = try await c.uploadPart("mp/obj", uploadId: id, partNumber: 1, body: .file(path: path, offset: 0, length: 150 * 1024))
        let listed = try await c.listParts("mp/obj", uploadId: id)
        XCTAssertEqual(listed.parts.map(\.number), [1, 2])
        XCTAssertEqual(listed.parts.map(\.etag), [p1.etag, p2.etag])
        XCTAssertEqual(listed.parts.first?.size, 150 * 1024)
        let paged = try await c.listParts("mp/obj", uploadId: id, partNumberMarker: 1, maxParts: 1)
        XCTAssertEqual(paged.parts.map(\.number), [2])
        let etag = try await c.completeMultipartUpload("mp/obj", uploadId: id, parts: [p2, p1], forbidOverwrite: false)
        XCTAssertTrue(etag.hasSuffix("-2\""), etag)
        let got = try await c.getObject("mp/obj", range: nil)
        XCTAssertTrue(got == data)
        let meta = try await c.headObject("mp/obj")
        XCTAssertEqual(meta.type, .multipart)
        XCTAssertEqual(meta.userMetadata["m"], "1")
        XCTAssertEqual(meta.crc64, CRC64.checksum(data))
    }

    func testAbortedUploadIsGone() async throws {
        let c = try client()
        let id = try await c.initiateMultipartUpload("mp/aborted", options: WriteOptions())
        _ = try await c.uploadPart("mp/aborted", uploadId: id, partNumber: 1, body: .bytes(Data("x".utf8)))
        try await c.abortMultipartUpload("mp/aborted", uploadId: id)
        await assertOSSError("NoSuchUpload", 404) { try await c.listParts("mp/aborted", uploadId: id) }
        await assertOSSError("NoSuchUpload", 404) {
            try await c.completeMultipartUpload("mp/aborted", uploadId: id, parts: [UploadedPart(number: 1, etag: "\"X\"")],
                                                forbidOverwrite: false)
        }
        await assertOSSError("NoSuchKey", 404) { try await c.headObject("mp/aborted") }
    }

    func testCompleteWithForbidOverwrite() async throws {
        let c = try client()
        try await c.putObject("mp/exists", body: .bytes(Data("old".utf8)), options: WriteOptions())
        let id = try await c.initiateMultipartUpload("mp/exists", options: WriteOptions())
        let p = try await c.uploadPart("mp/exists", uploadId: id, partNumber: 1, body: .bytes(Data("new".utf8)))
        await assertOSSError("FileAlreadyExists", 409) {
            try await c.completeMultipartUpload("mp/exists", uploadId: id, parts: [p], forbidOverwrite: true)
        }
        let kept = try await c.getObject("mp/exists", range: nil)
        XCTAssertEqual(kept, Data("old".utf8))
    }

    func testListingPagesWithDelimiter() async throws {
        let c = try client()
        var expectedKeys: [String] = []
        for i in 0..<23 { expectedKeys.append(String(format: "list/f%02d", i)) }
        let dirs = ["list/d1/", "list/d2 sp/", "list/中/"]
        for k in expectedKeys { try await c.putObject(k, body: .bytes(Data("x".utf8)), options: WriteOptions()) }
        for d in dirs { try await c.putObject(d + "inner", body: .bytes(Data()), options: WriteOptions()) }
        var keys: [String] = [], prefixes: [String] = [], pages = 0
        var token: String?
        repeat {
            let page = try await c.listObjects(prefix: "list/", delimiter: "/", continuationToken: token, maxKeys: 5)
            XCTAssertLessThanOrEqual(page.contents.count + page.commonPrefixes.count, 5)
            keys += page.contents.map(\.key)
            prefixes += page.commonPrefixes
            token = page.isTruncated ? page.nextContinuationToken : nil
            pages += 1
        } while token != nil
        XCTAssertEqual(keys, expectedKeys)
        XCTAssertEqual(Set(prefixes), Set(dirs))
        XCTAssertGreaterThanOrEqual(pages, 6)
        let all = try await c.listObjects(prefix: "list/d", delimiter: nil, startAfter: "list/d1/inner", continuationToken: nil, maxKeys: 1000)
        XCTAssertEqual(all.contents.map(\.key), ["list/d2 sp/inner"])
        XCTAssertEqual(all.contents.first?.size, 0)
    }

    func testBucketInfoAndLocation() async throws {
        let c = try client()
        let info = try await c.getBucketInfo()
        XCTAssertEqual(info.name, "test")
        XCTAssertTrue(info.location.hasPrefix("oss-"), info.location)
        let location = try await c.getBucketLocation()
        XCTAssertEqual(location, info.location)
    }
}
