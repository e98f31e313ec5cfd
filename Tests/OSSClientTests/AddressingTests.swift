import Foundation
@testable import OSSClient
import XCTest

/// URL building and region derivation.
final class AddressingTests: XCTestCase {
    func testPathStyleForLoopbackAndVirtualHostedForRealEndpoints() throws {
        let local = try Addressing(endpoint: URL(string: "http://127.0.0.1:9000")!, bucket: "b")
        XCTAssertEqual(local.url(key: "a b/c+d", query: [("symlink", "")]), "http://127.0.0.1:9000/b/a%20b/c%2Bd?symlink")
        XCTAssertEqual(local.url(key: nil, query: [("prefix", "x/y"), ("list-type", "2")]), "http://127.0.0.1:9000/b/?prefix=x%2Fy&list-type=2")
        let named = try Addressing(endpoint: URL(string: "http://localhost:1")!, bucket: "b")
        XCTAssertTrue(named.pathStyle)
        let real = try Addressing(endpoint: URL(string: "https://oss-cn-hangzhou.aliyuncs.com")!, bucket: "bkt")
        XCTAssertEqual(real.url(key: "k/中", query: []), "https://bkt.oss-cn-hangzhou.aliyuncs.com/k/%E4%B8%AD")
        XCTAssertThrowsError(try Addressing(endpoint: URL(string: "ftp://x")!, bucket: "b"))
    }

    func testRegionDerivation() {
        XCTAssertEqual(Addressing.region(fromHost: "oss-cn-hangzhou.aliyuncs.com"), "cn-hangzhou")
        XCTAssertEqual(Addressing.region(fromHost: "oss-us-west-1-internal.aliyuncs.com"), "us-west-1")
        XCTAssertNil(Addressing.region(fromHost: "127.0.0.1"))
        XCTAssertNil(Addressing.region(fromHost: "oss-accelerate.aliyuncs.com"))
        var c = ClientConfiguration(endpoint: URL(string: "http://127.0.0.1:1")!, bucket: "b",
                                    credentials: Credentials(accessKeyId: "a", accessKeySecret: "s"))
        XCTAssertEqual(c.effectiveRegion, "cn-hangzhou")
        c.endpoint = URL(string: "https://oss-eu-central-1.aliyuncs.com")!
        XCTAssertEqual(c.effectiveRegion, "eu-central-1")
        c.region = "cn-beijing"
        XCTAssertEqual(c.effectiveRegion, "cn-beijing")
    }
}

/// The three addressing styles, and regions that cannot be derived.
final class AddressingStyleTests: XCTestCase {
    func testCNAMEKeepsTheHostAndPutsTheKeyAtTheRoot() throws {
        let cname = try Addressing(endpoint: URL(string: "https://files.example.com")!, bucket: "bkt", style: .cname)
        XCTAssertEqual(cname.url(key: "a/b c", query: []), "https://files.example.com/a/b%20c")
        XCTAssertEqual(cname.url(key: nil, query: [("list-type", "2")]), "https://files.example.com/?list-type=2")
        let path = try Addressing(endpoint: URL(string: "https://oss.example.com:8443")!, bucket: "bkt", style: .path)
        XCTAssertEqual(path.url(key: "k", query: []), "https://oss.example.com:8443/bkt/k")
        let virtual = try Addressing(endpoint: URL(string: "https://files.example.com")!, bucket: "bkt")
        XCTAssertEqual(virtual.url(key: "k", query: []), "https://bkt.files.example.com/k")
    }

    func testHostsThatDoNotNameARegionNeedOne() throws {
        var c = ClientConfiguration(endpoint: URL(string: "https://files.example.com")!, bucket: "b",
                                    credentials: Credentials(accessKeyId: "a", accessKeySecret: "s"))
        XCTAssertNil(c.effectiveRegion)
        XCTAssertThrowsError(try OSSClient(configuration: c)) { error in
            XCTAssertTrue("\(error)".contains("does not name its OSS region"), "\(error)")
        }
        c.endpoint = URL(string: "https://oss-accelerate.aliyuncs.com")!
        XCTAssertNil(c.effectiveRegion)
        c.region = "cn-shanghai"
        XCTAssertEqual(c.effectiveRegion, "cn-shanghai")
        XCTAssertNoThrow(try OSSClient(configuration: c))
    }
}
