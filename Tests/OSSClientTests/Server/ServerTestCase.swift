import Foundation
import OSSClient
import TestSupport
import XCTest

/// Base of the tests that run the client against a real `ossfuse-server` child process.
class ServerTestCase: XCTestCase {
    var server: ServerProcess!

    /// Extra server arguments for a test class.
    var serverArguments: [String] { [] }

    override func setUpWithError() throws {
        server = try ServerProcess(buckets: ["test"], arguments: serverArguments)
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    func client(_ version: SignatureVersion = .v4, secret: String? = nil, token: String? = nil,
                maxRetries: Int = 2) throws -> OSSClient {
        var c = ClientConfiguration(endpoint: server.endpoint, bucket: "test",
                                    credentials: Credentials(accessKeyId: server.accessKeyId,
                                                             accessKeySecret: secret ?? server.accessKeySecret,
                                                             securityToken: token))
        c.signatureVersion = version
        c.maxRetries = maxRetries
        c.connectTimeout = 5
        c.lowSpeedTimeout = 20
        return try OSSClient(configuration: c)
    }

    /// Asserts that `body` throws an `OSSError` with `code` and `status`.
    func assertOSSError<T>(_ code: String, _ status: Int, file: StaticString = #filePath, line: UInt = #line,
                           _ body: () async throws -> T) async {
        do {
            _ = try await body()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let e as OSSError {
            XCTAssertEqual(e.code, code, e.description, file: file, line: line)
            XCTAssertEqual(e.httpStatus, status, e.description, file: file, line: line)
        } catch {
            XCTFail("expected OSSError \(code), got \(error)", file: file, line: line)
        }
    }

    static func bytes(_ n: Int, seed: UInt8 = 1) -> Data {
        var bytes = [UInt8](repeating: 0, count: n)
        var x = UInt32(seed) &* 2654435761
        for i in 0..<n { x = x &* 1103515245 &+ 12345; bytes[i] = UInt8(truncatingIfNeeded: x >> 16) }
        return Data(bytes)
    }
}
