import Foundation
import OSSClient
import XCTest

/// PutSymlink / GetSymlink and reading through links, against the real server.
final class SymlinkOperationTests: ServerTestCase {
    func symlinkRoundTrips(_ version: SignatureVersion) async throws {
        let c = try client(version)
        let targets = ["plain.txt", "with space/file name.txt", "中文/目标 文件.txt", "100% sure", "a+b+c", "mixed %2B+ %20.txt",
                       "中文!@#$%^&*()-=文件-1.txt"]
        for (i, target) in targets.enumerated() {
            let body = Data("target \(i)".utf8)
            try await c.putObject(target, body: .bytes(body), options: WriteOptions())
            let link = "links/l\(i) ü"
            try await c.putSymlink(link, target: target, options: WriteOptions(userMetadata: ["ossfuse-target": "t\(i)"]))
            let info = try await c.getSymlink(link)
            XCTAssertEqual(info.target, target)
            XCTAssertEqual(info.userMetadata["ossfuse-target"], "t\(i)")
            XCTAssertFalse(info.etag.isEmpty)
            let through = try await c.getObject(link, range: nil)
            XCTAssertEqual(through, body, target)
            let head = try await c.headObject(link)
            XCTAssertEqual(head.type, .symlink)
            XCTAssertEqual(head.contentLength, Int64(body.count))
        }
        let page = try await c.listObjects(prefix: "links/", delimiter: "/", continuationToken: nil, maxKeys: 100)
        XCTAssertEqual(page.contents.count, targets.count)
        XCTAssertTrue(page.contents.allSatisfy { $0.type == .symlink })
    }

    func testSymlinkRoundTripsV4() async throws { try await symlinkRoundTrips(.v4) }
    func testSymlinkRoundTripsV1() async throws { try await symlinkRoundTrips(.v1) }

    func testDanglingLinkAndLinkToLinkAreTypedErrors() async throws {
        let c = try client()
        try await c.putSymlink("dangling", target: "nowhere/at all", options: WriteOptions())
        await assertOSSError("SymlinkTargetNotExist", 404) { try await c.headObject("dangling") }
        await assertOSSError("SymlinkTargetNotExist", 404) { try await c.getObject("dangling", range: nil) }
        let info = try await c.getSymlink("dangling")
        XCTAssertEqual(info.target, "nowhere/at all")

        try await c.putObject("real", body: .bytes(Data("r".utf8)), options: WriteOptions())
        try await c.putSymlink("l1", target: "real", options: WriteOptions())
        try await c.putSymlink("l2", target: "l1", options: WriteOptions())
        await assertOSSError("InvalidTargetType", 400) { try await c.headObject("l2") }
        await assertOSSError("InvalidTargetType", 400) { try await c.getObject("l2", range: nil) }
    }

    func testForbidOverwriteAndNotSymlink() async throws {
        let c = try client()
        try await c.putObject("file", body: .bytes(Data("f".utf8)), options: WriteOptions())
        await assertOSSError("FileAlreadyExists", 409) {
            try await c.putSymlink("file", target: "x", options: WriteOptions(forbidOverwrite: true))
        }
        do {
            _ = try await c.getSymlink("file")
            XCTFail("expected NotSymlink")
        } catch let e as OSSError {
            XCTAssertEqual(e.code, "NotSymlink")
        }
        await assertOSSError("NoSuchKey", 404) { try await c.getSymlink("missing") }
        try await c.putSymlink("file", target: "other", options: WriteOptions())  // overwrite allowed without the flag
        let info = try await c.getSymlink("file")
        XCTAssertEqual(info.target, "other")
    }

    func testDeletingALinkKeepsTheTarget() async throws {
        let c = try client()
        try await c.putObject("t", body: .bytes(Data("keep".utf8)), options: WriteOptions())
        try await c.putSymlink("l", target: "t", options: WriteOptions())
        try await c.deleteObject("l")
        await assertOSSError("NoSuchKey", 404) { try await c.getSymlink("l") }
        let kept = try await c.getObject("t", range: nil)
        XCTAssertEqual(kept, Data("keep".utf8))
    }
}
