import Foundation
import OSSClient
import XCTest

/// Object operations against the real server, signed with V4 and V1.
final class ObjectOperationTests: ServerTestCase {
    func roundTrip(_ version: SignatureVersion) async throws {
        let c = try client(version)
        let data = Data("hello".utf8)
        let etag = try await c.putObject("dir/hello.txt", body: .bytes(data),
                                         options: WriteOptions(userMetadata: ["Mode": "33188", "x-y": "1"], contentType: "text/plain"))
        XCTAssertEqual(etag, "\"5D41402ABC4B2A76B9719D911017C592\"")
        let got = try await c.getObject("dir/hello.txt", range: nil)
        XCTAssertEqual(got, data)
        let meta = try await c.headObject("dir/hello.txt")
        XCTAssertEqual(meta.contentLength, 5)
        XCTAssertEqual(meta.etag, etag)
        XCTAssertEqual(meta.type, .normal)
        XCTAssertEqual(meta.contentType, "text/plain")
        XCTAssertEqual(meta.userMetadata["mode"], "33188")
        XCTAssertEqual(meta.userMetadata["x-y"], "1")
        XCTAssertEqual(meta.crc64, 11177612005948864433)
        XCTAssertFalse(meta.requestId?.isEmpty ?? true)
        try await c.deleteObject("dir/hello.txt")
        await assertOSSError("NoSuchKey", 404) { try await c.headObject("dir/hello.txt") }
        await assertOSSError("NoSuchKey", 404) { try await c.getObject("dir/hello.txt", range: nil) }
        try await c.deleteObject("dir/hello.txt")  // deleting a missing key succeeds
    }

    func testPutGetHeadDeleteV4() async throws { try await roundTrip(.v4) }
    func testPutGetHeadDeleteV1() async throws { try await roundTrip(.v1) }

    func awkwardKeysSurviveEveryOperation(_ version: SignatureVersion, prefix: String) async throws {
        let c = try client(version)
        let keys = ["a b/c d.txt", "中文/文件.txt", "100%", "x+y=z&w", "dots/../x", "dots/./y", "semi;colon,comma",
                    "tilde~/q?mark#hash"].map { prefix + $0 }
        for (i, k) in keys.enumerated() {
            try await c.putObject(k, body: .bytes(Data("v\(i)".utf8)), options: WriteOptions())
            let got = try await c.getObject(k, range: nil)
            XCTAssertEqual(got, Data("v\(i)".utf8), k)
        }
        var listed: [String] = []
        var token: String?
        repeat {
            let page = try await c.listObjects(prefix: prefix, delimiter: nil, continuationToken: token, maxKeys: 3)
            listed += page.contents.map(\.key)
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        XCTAssertEqual(listed, keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    func testAwkwardKeysSurviveEveryOperationV4() async throws { try await awkwardKeysSurviveEveryOperation(.v4, prefix: "v4 +%/") }
    func testAwkwardKeysSurviveEveryOperationV1() async throws { try await awkwardKeysSurviveEveryOperation(.v1, prefix: "v1 +%/") }

    func testRangedReads() async throws {
        let c = try client()
        let data = Self.bytes(1000)
        try await c.putObject("r", body: .bytes(data), options: WriteOptions())
        let mid = try await c.getObject("r", range: 100..<600)
        XCTAssertEqual(mid, data.subdata(in: 100..<600))
        let pastEnd = try await c.getObject("r", range: 900..<5000)
        XCTAssertEqual(pastEnd, data.subdata(in: 900..<1000))
        let toEnd = try await c.getObject("r", range: 500..<Int64.max)
        XCTAssertEqual(toEnd, data.subdata(in: 500..<1000))
        let empty = try await c.getObject("r", range: 10..<10)
        XCTAssertEqual(empty, Data())
        await assertOSSError("InvalidRange", 416) { try await c.getObject("r", range: 1000..<2000) }
    }

    func testUploadFromFileSliceAndLargeObject() async throws {
        let c = try client()
        let data = Self.bytes(9 * 1024 * 1024 + 123, seed: 7)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ossclient-\(UUID().uuidString)").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await c.putObject("big", body: .file(path: path, offset: 0, length: Int64(data.count)), options: WriteOptions())
        try await c.putObject("slice", body: .file(path: path, offset: 1000, length: 4096), options: WriteOptions())
        let slice = try await c.getObject("slice", range: nil)
        XCTAssertEqual(slice, data.subdata(in: 1000..<5096))
        let whole = try await c.getObject("big", range: nil)
        XCTAssertEqual(whole.count, data.count)
        XCTAssertTrue(whole == data)
        let part = try await c.getObject("big", range: 4_000_000..<8_000_000)
        XCTAssertTrue(part == data.subdata(in: 4_000_000..<8_000_000))
        do {
            try await c.putObject("bad", body: .file(path: path + ".missing", offset: 0, length: 1), options: WriteOptions())
            XCTFail("expected a local I/O error")
        } catch let e as TransportError {
            XCTAssertEqual(e.kind, .localIO)
        }
        await assertOSSError("NoSuchKey", 404) { try await c.headObject("bad") }
    }

    func testForbidOverwrite() async throws {
        let c = try client()
        try await c.putObject("f", body: .bytes(Data("1".utf8)), options: WriteOptions(forbidOverwrite: true))
        await assertOSSError("FileAlreadyExists", 409) {
            try await c.putObject("f", body: .bytes(Data("2".utf8)), options: WriteOptions(forbidOverwrite: true))
        }
        let got = try await c.getObject("f", range: nil)
        XCTAssertEqual(got, Data("1".utf8))
    }

    func testCopyWithCopyAndReplaceDirectives() async throws {
        let c = try client()
        try await c.putObject("src", body: .bytes(Data("data".utf8)), options: WriteOptions(userMetadata: ["a": "1"], contentType: "text/x"))
        try await c.copyObject(from: "src", to: "copy", replacing: nil)
        let kept = try await c.headObject("copy")
        XCTAssertEqual(kept.userMetadata, ["a": "1"])
        XCTAssertEqual(kept.contentType, "text/x")
        try await c.copyObject(from: "src", to: "replaced", replacing: WriteOptions(userMetadata: ["b": "2"]))
        let replaced = try await c.headObject("replaced")
        XCTAssertEqual(replaced.userMetadata, ["b": "2"])
        let body = try await c.getObject("replaced", range: nil)
        XCTAssertEqual(body, Data("data".utf8))
        await assertOSSError("NoSuchKey", 404) { try await c.copyObject(from: "missing", to: "x", replacing: nil) }
        await assertOSSError("FileAlreadyExists", 409) {
            try await c.copyObject(from: "src", to: "copy", replacing: WriteOptions(forbidOverwrite: true))
        }
    }

    func testDeleteObjectsInBatches() async throws {
        let c = try client()
        let keys = (0..<30).map { "del/\($0) x" }
        for k in keys { try await c.putObject(k, body: .bytes(Data()), options: WriteOptions()) }
        try await c.deleteObjects(keys + ["del/never-existed"])
        let page = try await c.listObjects(prefix: "del/", delimiter: nil, continuationToken: nil, maxKeys: 100)
        XCTAssertEqual(page.contents, [])
    }

    func testAppendObject() async throws {
        let c = try client()
        let first = try await c.appendObject("log", position: 0, body: .bytes(Data("abc".utf8)))
        XCTAssertEqual(first.nextPosition, 3)
        let second = try await c.appendObject("log", position: 3, body: .bytes(Data("def".utf8)))
        XCTAssertEqual(second.nextPosition, 6)
        XCTAssertEqual(second.crc64, CRC64.checksum(Array("abcdef".utf8)))
        do {
            _ = try await c.appendObject("log", position: 1, body: .bytes(Data("x".utf8)))
            XCTFail("expected PositionNotEqualToLength")
        } catch let e as OSSError {
            XCTAssertEqual(e.code, "PositionNotEqualToLength")
            XCTAssertEqual(e.extras["NextAppendPosition"], "6")
        }
        let meta = try await c.headObject("log")
        XCTAssertEqual(meta.type, .appendable)
        XCTAssertEqual(meta.nextAppendPosition, 6)
        let got = try await c.getObject("log", range: nil)
        XCTAssertEqual(got, Data("abcdef".utf8))
    }

    func testObjectACL() async throws {
        let c = try client()
        try await c.putObject("acl", body: .bytes(Data("x".utf8)), options: WriteOptions())
        let initial = try await c.getObjectACL("acl")
        XCTAssertEqual(initial, .default)
        try await c.putObjectACL("acl", acl: .publicRead)
        let changed = try await c.getObjectACL("acl")
        XCTAssertEqual(changed, .publicRead)
    }

    func testInvalidInputIsRejectedBeforeSending() async throws {
        let c = try client()
        do {
            try await c.putObject("/lead", body: .bytes(Data()), options: WriteOptions())
            XCTFail("expected a name error")
        } catch let e as ObjectName.Problem {
            XCTAssertEqual(e, .leadingSlash)
        }
        await assertOSSError("InvalidArgument", 400) {
            try await c.putObject("m", body: .bytes(Data()), options: WriteOptions(userMetadata: ["bad_name": "v"]))
        }
        await assertOSSError("InvalidArgument", 400) {
            try await c.putObject("m", body: .bytes(Data()), options: WriteOptions(userMetadata: ["ok": "line\r\nInjected: 1"]))
        }
    }
}
