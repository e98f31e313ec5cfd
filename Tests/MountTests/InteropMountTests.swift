import Foundation
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// Links made by an SDK appear right in the mount, and links made with `ln -s` are followed by
/// the OSS API (GetObject through the link).
final class InteropMountTests: MountTestCase {
    func testLinkMadeThroughOSSClientAppearsInTheMount() async throws {
        let client = try server.client()
        try await client.putObject("img/a.jpg", body: .bytes(Data("jpeg".utf8)), options: WriteOptions())
        try await client.putSymlink("docs/latest", target: "img/a.jpg", options: WriteOptions())
        try await client.putSymlink("top", target: "img/a.jpg", options: WriteOptions())
        let m = try mount()
        XCTAssertEqual(try sh(m, "readlink docs/latest top"), "../img/a.jpg\nimg/a.jpg\n")
        XCTAssertEqual(try sh(m, "cat docs/latest top"), "jpegjpeg")
        XCTAssertEqual(try sh(m, "stat -c '%F %s' docs/latest"), "symbolic link 12\n")
        XCTAssertTrue(try sh(m, "ls -l docs").contains("latest -> ../img/a.jpg"))
    }

    func testLinkMadeWithLnIsFollowedByGetObject() async throws {
        let m = try mount()
        try sh(m, "mkdir -p data/sub && printf payload > data/file.txt && ln -s ../file.txt data/sub/link"
                 + " && ln -s \(q(m.path("data/file.txt"))) abs-link")
        let client = try server.client()
        let body = try await client.getObject("data/sub/link", range: nil)
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "payload")
        let info = try await client.getSymlink("data/sub/link")
        XCTAssertEqual(info.target, "data/file.txt")
        let absolute = try await client.getObject("abs-link", range: nil)
        XCTAssertEqual(String(decoding: absolute, as: UTF8.self), "payload")
    }

    func testPrefixMountMapsLinksInsideThePrefix() async throws {
        let client = try server.client()
        try await client.putObject("base/x/f", body: .bytes(Data("in-prefix".utf8)), options: WriteOptions())
        let m = try mount(prefix: "base")
        try sh(m, "ln -s x/f l")
        let info = try await client.getSymlink("base/l")
        XCTAssertEqual(info.target, "base/x/f")
        XCTAssertEqual(try sh(m, "cat l"), "in-prefix")
    }
}
