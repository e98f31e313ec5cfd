import Foundation
import OSSClient
import Synchronization
import XCTest

/// The client against a server that answers 503 or drops the connection on 30 % of requests.
final class FaultToleranceTests: ServerTestCase {
    override var serverArguments: [String] { ["--fault-rate", "0.3"] }

    func testIdempotentOperationsSurviveInjectedFaults() async throws {
        let attempts = Mutex<[Int]>([])
        var config = ClientConfiguration(endpoint: server.endpoint, bucket: "test",
                                         credentials: Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret))
        config.maxRetries = 12
        config.onRequest = { record in attempts.withLock { $0.append(record.attempt) } }
        let c = try OSSClient(configuration: config)
        for i in 0..<20 {
            let body = Self.bytes(10_000 + i, seed: UInt8(i))
            try await c.putObject("f/\(i)", body: .bytes(body), options: WriteOptions())
            let got = try await c.getObject("f/\(i)", range: nil)
            XCTAssertEqual(got, body)
            let meta = try await c.headObject("f/\(i)")
            XCTAssertEqual(meta.contentLength, Int64(body.count))
        }
        let page = try await c.listObjects(prefix: "f/", delimiter: nil, continuationToken: nil, maxKeys: 100)
        XCTAssertEqual(page.contents.count, 20)
        let seen = attempts.withLock { $0 }
        XCTAssertTrue(seen.contains { $0 > 1 }, "no request was retried")
        XCTAssertGreaterThan(seen.count, 61)
    }

    /// Exclusive creates (file, directory marker, symlink, multipart) survive dropped answers and 503s;
    /// a second exclusive create of the same key with other content still fails with FileAlreadyExists.
    func testExclusiveCreatesSurviveInjectedFaults() async throws {
        var config = ClientConfiguration(endpoint: server.endpoint, bucket: "test",
                                         credentials: Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret))
        config.maxRetries = 12
        let attempts = Mutex<[Int]>([])
        config.onRequest = { record in attempts.withLock { $0.append(record.attempt) } }
        let c = try OSSClient(configuration: config)
        let exclusive = WriteOptions(forbidOverwrite: true)
        for i in 0..<15 {
            let body = Self.bytes(1_000 + i, seed: UInt8(i))
            try await c.putObject("x/f\(i)", body: .bytes(body), options: exclusive)
            try await c.putObject("x/d\(i)/", body: .bytes(Data()), options: exclusive)
            try await c.putSymlink("x/l\(i)", target: "x/f\(i)", options: exclusive)
            let got = try await c.getObject("x/f\(i)", range: nil)
            XCTAssertEqual(got, body)
            let link = try await c.getSymlink("x/l\(i)")
            XCTAssertEqual(link.target, "x/f\(i)")
        }
        let id = try await c.initiateMultipartUpload("x/mp", options: exclusive)
        let part = try await c.uploadPart("x/mp", uploadId: id, partNumber: 1, body: .bytes(Self.bytes(2_000)))
        let etag = try await c.completeMultipartUpload("x/mp", uploadId: id, parts: [part], forbidOverwrite: true)
        let meta = try await c.headObject("x/mp")
        XCTAssertEqual(meta.etag, etag)
        do {
            try await c.putObject("x/f0", body: .bytes(Data("other".utf8)), options: exclusive)
            XCTFail("an exclusive create over an existing object succeeded")
        } catch let e as OSSError { XCTAssertEqual(e.code, "FileAlreadyExists") }
        do {
            try await c.putSymlink("x/l0", target: "elsewhere", options: exclusive)
            XCTFail("an exclusive symlink over an existing link succeeded")
        } catch let e as OSSError { XCTAssertEqual(e.code, "FileAlreadyExists") }
        XCTAssertTrue(attempts.withLock { $0 }.contains { $0 > 1 }, "no request was retried")
    }
}
