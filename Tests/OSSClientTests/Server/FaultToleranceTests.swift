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
        config.log = { record in attempts.withLock { $0.append(record.attempt) } }
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
}
