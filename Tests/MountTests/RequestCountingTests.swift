import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// What the mount asks the server, counted by the server's stats endpoint.
final class RequestCountingTests: MountTestCase {
    func testLsLongOfADirectoryMakesNoHeadPerEntryAndARepeatMakesNoRequest() async throws {
        let client = try server.client()
        for i in 0..<40 {
            try await client.putObject("dir/file\(i)", body: .bytes(Data("x\(i)".utf8)), options: WriteOptions())
        }
        try await client.putSymlink("dir/link", target: "dir/file1", options: WriteOptions())
        let m = try mount(options: ["attr_timeout=600"])
        try sh(m, "stat . > /dev/null")
        let before = try server.stats()
        let listing = try sh(m, "ls -l dir")
        XCTAssertTrue(listing.contains("link -> file1"), listing)
        let after = try server.stats()
        let heads = after["HeadObject", default: 0] - before["HeadObject", default: 0]
        XCTAssertLessThanOrEqual(heads, 2, "ls -l of 41 entries made \(heads) HeadObject requests")
        XCTAssertLessThanOrEqual(after["GetSymlink", default: 0] - before["GetSymlink", default: 0], 1)
        try sh(m, "ls -l dir > /dev/null")
        let repeated = try server.stats()
        XCTAssertEqual(TestServer.total(repeated) - TestServer.total(after), 0,
                       "repeat within the TTL made requests: \(TestServer.difference(repeated, after))")
    }

    func testSecondMountSeesAChangeAfterItsTimeout() throws {
        let writer = try mount(options: ["attr_timeout=1", "negative_timeout=1"])
        let reader = try mount(options: ["attr_timeout=1", "negative_timeout=1"])
        try sh(writer, "printf v1 > f && ln -s f link")
        XCTAssertTrue(try eventually { try reader.run("cat link").stdout == "v1" }, "reader never saw the new file")
        try sh(writer, "printf version-two > f && rm link && ln -s g link && mkdir g")
        XCTAssertTrue(try eventually { try reader.run("cat f").stdout == "version-two" }, "reader never saw the new content")
        XCTAssertTrue(try eventually { try reader.run("readlink link").stdout == "g\n" }, "reader never saw the new link")
        XCTAssertTrue(try eventually { try reader.run("test -d g").succeeded }, "reader never saw the new directory")
    }
}
