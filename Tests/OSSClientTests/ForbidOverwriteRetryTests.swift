import Foundation
import OSSClient
import XCTest

/// Forbid-overwrite creates whose answer is lost (connection dropped after the request was read):
/// retried, and a 409 to the retry is success only when the object there is what this client sent.
/// Against a scripted loopback responder; the real server never applies a request it drops.
final class ForbidOverwriteRetryTests: XCTestCase {
    func client(_ responder: LoopbackResponder) throws -> OSSClient {
        var c = ClientConfiguration(endpoint: responder.endpoint, bucket: "bucket",
                                    credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk"))
        c.maxRetries = 4
        c.connectTimeout = 5
        c.lowSpeedTimeout = 30
        return try OSSClient(configuration: c)
    }

    static let exclusive = WriteOptions(forbidOverwrite: true)

    static var conflict: LoopbackResponder.Action {
        .respond(status: 409, headers: [("x-oss-request-id", "RID-409")],
                 body: OSSError(httpStatus: 409, code: "FileAlreadyExists", message: "exists", requestId: "RID-409").xmlDocument())
    }

    static func head(of body: Data, etag: String = "\"E1\"") -> LoopbackResponder.Action {
        .respond(status: 200, headers: [("Content-Length", String(body.count)), ("ETag", etag),
                                        ("x-oss-object-type", "Normal"), ("x-oss-hash-crc64ecma", String(CRC64.checksum(body)))])
    }

    func testLostAnswerThenConflictWithOwnBytesIsSuccess() async throws {
        let body = Data("exclusive body".utf8)
        let r = try LoopbackResponder([.drop, Self.conflict, Self.head(of: body)])
        defer { r.stop() }
        let etag = try await client(r).putObject("d/f", body: .bytes(body), options: Self.exclusive)
        XCTAssertEqual(etag, "\"E1\"")
        XCTAssertEqual(r.received.map(\.method), ["PUT", "PUT", "HEAD"])
        XCTAssertEqual(r.received.prefix(2).map { $0.headers["x-oss-forbid-overwrite"] }, ["true", "true"])
        XCTAssertEqual(r.received.prefix(2).map(\.body), [body, body])
    }

    func testLostAnswerThenConflictWithFileBodyIsCheckedAgainstTheFileSlice() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-excl-\(UUID().uuidString)").path
        try Data("0123456789abcdef".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try LoopbackResponder([.drop, Self.conflict, Self.head(of: Data("456789ab".utf8))])
        defer { r.stop() }
        _ = try await client(r).putObject("f", body: .file(path: path, offset: 4, length: 8), options: Self.exclusive)
        XCTAssertEqual(r.received.map(\.method), ["PUT", "PUT", "HEAD"])
    }

    func testLostAnswerThenConflictWithOtherBytesIsFileAlreadyExists() async throws {
        let r = try LoopbackResponder([.drop, Self.conflict, Self.head(of: Data("someone else".utf8))])
        defer { r.stop() }
        do {
            _ = try await client(r).putObject("f", body: .bytes(Data("mine, longer".utf8)), options: Self.exclusive)
            XCTFail("a different object was taken for this write")
        } catch let e as OSSError {
            XCTAssertEqual(e.code, "FileAlreadyExists")
            XCTAssertEqual(e.requestId, "RID-409")
        }
        XCTAssertEqual(r.received.map(\.method), ["PUT", "PUT", "HEAD"])
    }

    func testSameLengthDifferentCRCIsFileAlreadyExists() async throws {
        let r = try LoopbackResponder([.drop, Self.conflict, Self.head(of: Data("AAAA".utf8))])
        defer { r.stop() }
        do {
            _ = try await client(r).putObject("f", body: .bytes(Data("BBBB".utf8)), options: Self.exclusive)
            XCTFail("a different object was taken for this write")
        } catch let e as OSSError { XCTAssertEqual(e.code, "FileAlreadyExists") }
    }

    func testConflictOnFirstAttemptIsReportedWithoutACheck() async throws {
        let r = try LoopbackResponder([Self.conflict, Self.head(of: Data("x".utf8))])
        defer { r.stop() }
        do {
            _ = try await client(r).putObject("f", body: .bytes(Data("x".utf8)), options: Self.exclusive)
            XCTFail("409 on the first attempt must fail")
        } catch let e as OSSError { XCTAssertEqual(e.code, "FileAlreadyExists") }
        XCTAssertEqual(r.received.map(\.method), ["PUT"])
    }

    func testSymlinkLostAnswerThenConflictWithSameTargetIsSuccess() async throws {
        let getSymlink = LoopbackResponder.Action.respond(status: 200, headers: [("x-oss-symlink-target", "dir/target%20x"),
                                                                                 ("x-oss-meta-ossfuse-target", "../dir/target x"),
                                                                                 ("ETag", "\"L\"")])
        let r = try LoopbackResponder([.drop, Self.conflict, getSymlink])
        defer { r.stop() }
        try await client(r).putSymlink("link", target: "dir/target x",
                                       options: WriteOptions(userMetadata: ["ossfuse-target": "../dir/target x"], forbidOverwrite: true))
        XCTAssertEqual(r.received.map(\.method), ["PUT", "PUT", "GET"])
        XCTAssertEqual(r.received.last?.target, "/bucket/link?symlink")
    }

    func testSymlinkLostAnswerThenConflictWithOtherTargetIsFileAlreadyExists() async throws {
        let getSymlink = LoopbackResponder.Action.respond(status: 200, headers: [("x-oss-symlink-target", "elsewhere"), ("ETag", "\"L\"")])
        let r = try LoopbackResponder([.drop, Self.conflict, getSymlink])
        defer { r.stop() }
        do {
            try await client(r).putSymlink("link", target: "dir/target", options: Self.exclusive)
            XCTFail("a link to another target was taken for this write")
        } catch let e as OSSError { XCTAssertEqual(e.code, "FileAlreadyExists") }
    }

    func testSymlinkWithOtherKeptTargetIsFileAlreadyExists() async throws {
        let getSymlink = LoopbackResponder.Action.respond(status: 200, headers: [("x-oss-symlink-target", "t"),
                                                                                 ("x-oss-meta-ossfuse-target", "./t"), ("ETag", "\"L\"")])
        let r = try LoopbackResponder([.drop, Self.conflict, getSymlink])
        defer { r.stop() }
        do {
            try await client(r).putSymlink("link", target: "t", options: WriteOptions(userMetadata: ["ossfuse-target": "t"], forbidOverwrite: true))
            XCTFail("a link with another kept target was taken for this write")
        } catch let e as OSSError { XCTAssertEqual(e.code, "FileAlreadyExists") }
    }

    func testCompleteMultipartLostAnswerThenNoSuchUploadWithOwnETagIsSuccess() async throws {
        let parts = [UploadedPart(number: 2, etag: "\"" + Digest.hex(Digest.md5(Data("b".utf8))).uppercased() + "\""),
                     UploadedPart(number: 1, etag: "\"" + Digest.hex(Digest.md5(Data("a".utf8))).uppercased() + "\"")]
        let expected = "\"" + Digest.hex(Digest.md5(Digest.md5(Data("a".utf8)) + Digest.md5(Data("b".utf8)))).uppercased() + "-2\""
        let gone = LoopbackResponder.Action.respond(status: 404, body: OSSError(httpStatus: 404, code: "NoSuchUpload", message: "gone").xmlDocument())
        let head = LoopbackResponder.Action.respond(status: 200, headers: [("Content-Length", "2"), ("ETag", expected),
                                                                           ("x-oss-object-type", "Multipart")])
        let r = try LoopbackResponder([.drop, gone, head])
        defer { r.stop() }
        let etag = try await client(r).completeMultipartUpload("big", uploadId: "U1", parts: parts, forbidOverwrite: true)
        XCTAssertEqual(etag, expected)
        XCTAssertEqual(r.received.map(\.method), ["POST", "POST", "HEAD"])
    }

    func testCompleteMultipartWithoutForbidOverwriteIsStillNotRetriedAfterSending() async throws {
        let r = try LoopbackResponder([.drop, .respond(status: 200)])
        defer { r.stop() }
        do {
            _ = try await client(r).completeMultipartUpload("big", uploadId: "U1", parts: [UploadedPart(number: 1, etag: "\"A\"")],
                                                            forbidOverwrite: false)
            XCTFail("a dropped CompleteMultipartUpload without forbid-overwrite must not be repeated")
        } catch is TransportError {}
        XCTAssertEqual(r.received.count, 1)
    }
}
