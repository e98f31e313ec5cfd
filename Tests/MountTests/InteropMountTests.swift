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

    /// A file open in the mount reads the version it opened: once an SDK replaces the object, a read
    /// of bytes not fetched yet fails with ESTALE ("Stale file handle"), never showing a mix of the
    /// two versions; opened again, the file reads the new version.
    func testAnOpenFileNeverMixesTheVersionItOpenedWithANewOne() async throws {
        let client = try server.client()
        let size = 4 << 20
        try await client.putObject("v.bin", body: .bytes(Data(repeating: 0x61, count: size)), options: WriteOptions())
        let m = try mount()
        let fd = open(m.path("v.bin"), O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        XCTAssertEqual(pread(fd, &buffer, buffer.count, 0), 4096)
        XCTAssertEqual(buffer, [UInt8](repeating: 0x61, count: 4096))
        try await client.putObject("v.bin", body: .bytes(Data(repeating: 0x62, count: size)), options: WriteOptions())
        let n = pread(fd, &buffer, buffer.count, 3 << 20)
        let error = errno
        XCTAssertEqual(n, -1, "read \(n) bytes of a replaced object")
        XCTAssertEqual(error, ESTALE)
        let fresh = try mount()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fresh.path("v.bin"))), Data(repeating: 0x62, count: size))
    }
}
