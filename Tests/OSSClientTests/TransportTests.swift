import Foundation
import OSSClient
import Synchronization
import XCTest

/// Transport behaviour against a scripted loopback responder: retries, dropped connections,
/// timeouts, giving up with a typed error, cancellation. Everything else runs against the real server.
final class TransportTests: XCTestCase {
    final class LogSink: Sendable {
        private let records = Mutex<[RequestLogRecord]>([])
        func add(_ r: RequestLogRecord) { records.withLock { $0.append(r) } }
        var all: [RequestLogRecord] { records.withLock { $0 } }
    }

    func client(_ responder: LoopbackResponder, maxRetries: Int = 4, lowSpeed: Double = 30,
                retriesUnreachable: Bool = true, log: LogSink? = nil) throws -> OSSClient {
        var c = ClientConfiguration(endpoint: responder.endpoint, bucket: "bucket",
                                    credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk"))
        c.maxRetries = maxRetries
        c.retriesUnreachable = retriesUnreachable
        c.lowSpeedTimeout = lowSpeed
        c.connectTimeout = 5
        if let log { c.onRequest = { log.add($0) } }
        return try OSSClient(configuration: c)
    }

    static let okHeaders: [(String, String)] = [("x-oss-request-id", "RID-OK"), ("ETag", "\"ABC\"")]

    static func errorBody(_ code: String) -> Data {
        OSSError(httpStatus: 503, code: code, message: "slow down", requestId: "RID-ERR").xmlDocument()
    }

    func testRetriesOn503ThenSucceeds() async throws {
        let r = try LoopbackResponder([.respond(status: 503, body: Self.errorBody("ServiceUnavailable")),
                                       .respond(status: 503, body: Self.errorBody("ServiceUnavailable")),
                                       .respond(status: 200, headers: Self.okHeaders, body: Data("hello".utf8))])
        defer { r.stop() }
        let log = LogSink()
        let data = try await client(r, log: log).getObject("k", range: nil)
        XCTAssertEqual(data, Data("hello".utf8))
        XCTAssertEqual(r.received.count, 3)
        XCTAssertEqual(log.all.map(\.attempt), [1, 2, 3])
        XCTAssertEqual(log.all.map(\.httpStatus), [503, 503, 200])
        XCTAssertEqual(log.all.last?.requestId, "RID-OK")
        XCTAssertEqual(log.all.first?.operation, "GetObject")
        XCTAssertTrue(log.all.allSatisfy { !($0.error ?? "").contains("sk") })
    }

    func testDroppedConnectionIsRetriedAndFileBodyResentWhole() async throws {
        let r = try LoopbackResponder([.drop, .respond(status: 200, headers: Self.okHeaders)])
        defer { r.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-transport-\(UUID().uuidString)").path
        try Data("0123456789abcdef".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let etag = try await client(r).putObject("dir/f", body: .file(path: path, offset: 4, length: 8), options: WriteOptions())
        XCTAssertEqual(etag, "\"ABC\"")
        XCTAssertEqual(r.received.count, 2)
        XCTAssertEqual(r.received.map(\.body), [Data("456789ab".utf8), Data("456789ab".utf8)])
        XCTAssertEqual(r.received.last?.method, "PUT")
        XCTAssertEqual(r.received.last?.target, "/bucket/dir/f")
        XCTAssertTrue(r.received.last?.headers["authorization"]?.hasPrefix("OSS4-HMAC-SHA256 Credential=ak/") ?? false)
    }

    func testStalledTransferTimesOutWithTypedError() async throws {
        let r = try LoopbackResponder([.hang])
        defer { r.stop() }
        do {
            _ = try await client(r, maxRetries: 0, lowSpeed: 1).headObject("k")
            XCTFail("expected a timeout")
        } catch let e as TransportError {
            XCTAssertEqual(e.kind, .timeout, e.message)
        }
        XCTAssertEqual(r.received.count, 1)
    }

    func testGivesUpAfterMaxRetriesWithTheServersError() async throws {
        let r = try LoopbackResponder([.respond(status: 503, headers: [("x-oss-request-id", "RID-ERR")], body: Self.errorBody("ServiceUnavailable"))])
        defer { r.stop() }
        do {
            _ = try await client(r, maxRetries: 2).getObject("k", range: 0..<10)
            XCTFail("expected an error")
        } catch let e as OSSError {
            XCTAssertEqual(e.code, "ServiceUnavailable")
            XCTAssertEqual(e.httpStatus, 503)
            XCTAssertEqual(e.requestId, "RID-ERR")
        }
        XCTAssertEqual(r.received.count, 3)
    }

    func testConnectionRefusedIsATransportError() async throws {
        let r = try LoopbackResponder([.drop])
        r.stop()
        let log = LogSink()
        do {
            _ = try await client(r, maxRetries: 1, log: log).headObject("k")
            XCTFail("expected an error")
        } catch let e as TransportError {
            XCTAssertEqual(e.kind, .connection, e.message)
        }
        XCTAssertEqual(log.all.map(\.attempt), [1, 2])
        XCTAssertEqual(log.all.map(\.httpStatus), [0, 0])
    }

    func testRefusedConnectionIsNotRetriedWhenUnreachableFailsFast() async throws {
        let r = try LoopbackResponder([.drop])
        r.stop()
        let log = LogSink()
        do {
            _ = try await client(r, maxRetries: 4, retriesUnreachable: false, log: log).headObject("k")
            XCTFail("expected an error")
        } catch let e as TransportError {
            XCTAssertEqual(e.kind, .connection, e.message)
        }
        XCTAssertEqual(log.all.map(\.attempt), [1])
    }

    func testDroppedAnswerIsRetriedWhenUnreachableFailsFast() async throws {
        let r = try LoopbackResponder([.drop, .respond(status: 503, body: Self.errorBody("ServiceUnavailable")),
                                       .respond(status: 200, headers: Self.okHeaders)])
        defer { r.stop() }
        _ = try await client(r, maxRetries: 4, retriesUnreachable: false).headObject("k")
        XCTAssertEqual(r.received.count, 3)
    }

    func testAppendIsNotRetriedAfterTheRequestWasSent() async throws {
        let r = try LoopbackResponder([.drop, .respond(status: 200, headers: [("x-oss-next-append-position", "3")])])
        defer { r.stop() }
        do {
            _ = try await client(r).appendObject("k", position: 0, body: .bytes(Data("abc".utf8)))
            XCTFail("expected an error")
        } catch let e as TransportError {
            XCTAssertEqual(e.kind, .connection)
        }
        XCTAssertEqual(r.received.count, 1)
    }

    func testHeadErrorIsDecodedFromHeader() async throws {
        let err = OSSError(.invalidTargetType, requestId: "RID-H")
        let r = try LoopbackResponder([.respond(status: 400, headers: [("x-oss-err", err.headerValue()), ("x-oss-request-id", "RID-H")])])
        defer { r.stop() }
        do {
            _ = try await client(r).headObject("link")
            XCTFail("expected an error")
        } catch let e as OSSError {
            XCTAssertEqual(e.code, "InvalidTargetType")
            XCTAssertEqual(e.httpStatus, 400)
            XCTAssertEqual(e.requestId, "RID-H")
        }
    }

    func testCancellationAbortsAHangingTransfer() async throws {
        let r = try LoopbackResponder([.hang])
        defer { r.stop() }
        let c = try client(r, maxRetries: 0)
        let task = Task { try await c.getObject("k", range: nil) }
        while r.received.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch is CancellationError {}
    }

    func testCRCMismatchOnUploadIsAnError() async throws {
        let r = try LoopbackResponder([.respond(status: 200, headers: [("x-oss-hash-crc64ecma", "12345"), ("ETag", "\"E\"")])])
        defer { r.stop() }
        do {
            try await client(r).putObject("k", body: .bytes(Data("hello".utf8)), options: WriteOptions())
            XCTFail("expected a CRC error")
        } catch let e as TransportError {
            XCTAssertTrue(e.message.contains("CRC-64 mismatch"), e.message)
        }
        let ok = try LoopbackResponder([.respond(status: 200, headers: [("x-oss-hash-crc64ecma", "11177612005948864433"), ("ETag", "\"E\"")])])
        defer { ok.stop() }
        let etag = try await client(ok).putObject("k", body: .bytes(Data("hello".utf8)), options: WriteOptions())
        XCTAssertEqual(etag, "\"E\"")
    }

    func testManyParallelRequestsShareABoundedPool() async throws {
        let r = try LoopbackResponder([.respond(status: 200, headers: Self.okHeaders, body: Data(repeating: 7, count: 100_000))])
        defer { r.stop() }
        let c = try client(r)
        let total = try await withThrowingTaskGroup(of: Int.self) { g in
            for i in 0..<64 { g.addTask { try await c.getObject("k\(i)", range: nil).count } }
            return try await g.reduce(0, +)
        }
        XCTAssertEqual(total, 64 * 100_000)
        XCTAssertEqual(r.received.count, 64)
    }
}
