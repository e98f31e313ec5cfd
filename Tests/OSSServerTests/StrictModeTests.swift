import Foundation
@testable import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// The server's strict modes, through the project's client with retries off, so each refusal is
/// seen as OSS sends it.
final class StrictModeTests: XCTestCase {
    private func client(_ server: ServerProcess, credentials: Credentials? = nil, region: String = "cn-hangzhou",
                        endpoint: URL? = nil, style: AddressingStyle? = nil) throws -> OSSClient {
        var configuration = ClientConfiguration(
            endpoint: endpoint ?? server.endpoint, bucket: "test",
            credentials: credentials ?? Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret))
        configuration.region = region
        configuration.addressingStyle = style
        configuration.maxRetries = 0
        return try OSSClient(configuration: configuration)
    }

    private func code(_ body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch let error as OSSError { return error.code } catch { return "\(error)" }
    }

    func testSTSFileTokensExpireAndAreCheckedAndReread() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let now = Int(Date().timeIntervalSince1970)
        try "# comment\nSTS.a:sa:ta:\(now + 3600)\nSTS.b:sb:tb:\(now - 1)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let server = try ServerProcess(arguments: ["--sts-credentials", file])
        let good = try client(server, credentials: Credentials(accessKeyId: "STS.a", accessKeySecret: "sa", securityToken: "ta"))
        try await good.putObject("k", body: .bytes(Data("v".utf8)), options: WriteOptions())
        let expired = try client(server, credentials: Credentials(accessKeyId: "STS.b", accessKeySecret: "sb", securityToken: "tb"))
        let expiredCode = await code { _ = try await expired.headObject("k") }
        XCTAssertEqual(expiredCode, "SecurityTokenExpired")
        let wrongToken = try client(server, credentials: Credentials(accessKeyId: "STS.a", accessKeySecret: "sa", securityToken: "tb"))
        let wrongTokenCode = await code { _ = try await wrongToken.headObject("k") }
        XCTAssertEqual(wrongTokenCode, "InvalidSecurityToken")
        let unknown = try client(server, credentials: Credentials(accessKeyId: "STS.c", accessKeySecret: "sc", securityToken: "tc"))
        let unknownCode = await code { _ = try await unknown.headObject("k") }
        XCTAssertEqual(unknownCode, "InvalidAccessKeyId")
        try "STS.a:sa:ta:\(now - 1)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let nowExpired = await code { _ = try await good.headObject("k") }
        XCTAssertEqual(nowExpired, "SecurityTokenExpired", "the file was not read again")
    }

    func testRegionCNAMEAndPublicEndpoint() async throws {
        let server = try ServerProcess(arguments: ["--cname", "files.localhost=test", "--public-endpoint-forbidden",
                                                   "--check-region"])
        let custom = URL(string: "http://files.localhost:\(server.port)")!
        let viaCNAME = try client(server, endpoint: custom, style: .cname)
        try await viaCNAME.putObject("a/b", body: .bytes(Data("x".utf8)), options: WriteOptions())
        let page = try await viaCNAME.listObjects(prefix: "", delimiter: nil, continuationToken: nil, maxKeys: 10)
        XCTAssertEqual(page.contents.map(\.key), ["a/b"])
        let publicCode = await code { _ = try await self.client(server).headObject("a/b") }
        XCTAssertEqual(publicCode, "PublicEndpointForbidden")
        let otherRegion = try client(server, region: "cn-beijing", endpoint: custom, style: .cname)
        do {
            _ = try await otherRegion.getObject("a/b", range: nil)
            XCTFail("a V4 scope for another region was accepted")
        } catch let error as OSSError {
            XCTAssertEqual(error.code, "InvalidArgument")
            XCTAssertEqual(error.httpStatus, 400)
            XCTAssertTrue(error.message.contains("Invalid signing region"), error.message)
        }
    }

    func testPartialDeletesAreResentUntilNothingIsLeft() async throws {
        let server = try ServerProcess(arguments: ["--partial-delete-faults", "2"])
        let oss = try client(server)
        let keys = (0..<10).map { "d/\($0)" } + ["d/tab\there", "d/line\nfeed"]
        for key in keys { try await oss.putObject(key, body: .bytes(Data()), options: WriteOptions()) }
        try await oss.deleteObjects(keys)
        let page = try await oss.listObjects(prefix: "d/", delimiter: nil, continuationToken: nil, maxKeys: 100)
        XCTAssertEqual(page.contents.map(\.key), [])
        XCTAssertEqual(try server.stats()["FaultsPartialDelete"], 2)
        XCTAssertEqual(try server.stats()["DeleteMultipleObjects"], 3)
    }

    func testQpsStormAndClockSkew() async throws {
        let server = try ServerProcess(arguments: ["--clock-skew=-1200"])
        var configuration = ClientConfiguration(endpoint: server.endpoint, bucket: "test",
            credentials: Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret))
        configuration.maxRetries = 0
        configuration.throttleRetrySeconds = 30
        let oss = try OSSClient(configuration: configuration)
        try await oss.putObject("k", body: .bytes(Data("v".utf8)), options: WriteOptions())
        XCTAssertEqual(oss.clockOffset.offset, -1200, accuracy: 5)
        try server.startQpsLimitStorm(seconds: 2)
        let body = try await oss.getObject("k", range: nil)
        XCTAssertEqual(body, Data("v".utf8))
        XCTAssertGreaterThan(try server.stats()["FaultsQpsLimitExceeded"] ?? 0, 0)
        let strict = try client(server)
        try server.startQpsLimitStorm(seconds: 2)
        let refused = await code { _ = try await strict.getObject("k", range: nil) }
        XCTAssertEqual(refused, "QpsLimitExceeded", "without a throttle budget the storm is an error")
    }
}
