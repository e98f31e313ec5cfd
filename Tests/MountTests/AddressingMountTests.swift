import Foundation
import OSSClient
import TestSupport
import XCTest

/// A server that, like OSS for accounts created since 2025-03-20, serves the bucket only through a
/// custom domain (`--cname`, `--public-endpoint-forbidden`) and checks the V4 region (`--check-region`).
/// `files.localhost` resolves to loopback in curl without DNS.
final class AddressingMountTests: MountTestCase {
    override var serverArguments: [String] {
        ["--cname", "files.localhost=test", "--public-endpoint-forbidden", "--check-region", "--region", "cn-hangzhou"]
    }

    private var customDomain: URL { URL(string: "http://files.localhost:\(server.process.port)")! }

    func testACNAMEMountWorks() throws {
        let m = try mount(options: ["addressing=cname", "region=cn-hangzhou"], endpoint: customDomain)
        try sh(m, "mkdir d && printf hello > d/f && ln -s f d/l")
        XCTAssertEqual(try sh(m, "cat d/l"), "hello")
        // What an SDK sees through the same custom domain.
        var configuration = ClientConfiguration(endpoint: customDomain, bucket: server.bucket,
            credentials: Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret))
        configuration.addressingStyle = .cname
        configuration.region = "cn-hangzhou"
        let client = try OSSClient(configuration: configuration)
        let body = try runBlocking { try await client.getObject("d/f", range: nil) }
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "hello")
    }

    func testThePublicEndpointRefusalIsExplained() throws {
        XCTAssertThrowsError(try mount()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("PublicEndpointForbidden") && text.contains("addressing=cname"), text)
        }
    }

    func testAHostThatDoesNotNameItsRegionNeedsRegion() throws {
        XCTAssertThrowsError(try mount(options: ["addressing=cname"], endpoint: customDomain)) { error in
            XCTAssertTrue("\(error)".contains("does not name its OSS region: add -o region=REGION"), "\(error)")
        }
    }

    func testAWrongRegionIsAClearMountError() throws {
        XCTAssertThrowsError(try mount(options: ["addressing=cname", "region=cn-beijing"], endpoint: customDomain)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("V4 region cn-beijing is not bucket test's region"), text)
            XCTAssertFalse(text.contains("secret"), "blames the secret: \(text)")
        }
    }
}
