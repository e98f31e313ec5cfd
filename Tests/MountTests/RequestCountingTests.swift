import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// What the mount asks the server, counted by the server's stats endpoint.
final class RequestCountingTests: MountTestCase {
    /// `listing_only` (opt-in since exact attributes became the default): no HEAD per listed entry.
    func testLsLongOfADirectoryMakesNoHeadPerEntryAndARepeatMakesNoRequest() async throws {
        let client = try server.client()
        for i in 0..<40 {
            try await client.putObject("dir/file\(i)", body: .bytes(Data("x\(i)".utf8)), options: WriteOptions())
        }
        try await client.putSymlink("dir/link", target: "dir/file1", options: WriteOptions())
        let m = try mount(options: ["attr_timeout=600", "listing_only"])
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

    /// `listing_only` pays no HEAD per listed entry and shows stored attributes once an entry is
    /// looked up by name; the default pays one HEAD per entry and shows them in the listing.
    func testStoredModesInListingsAtOneHeadPerEntryUnlessListingOnly() throws {
        let writer = try mount()
        try sh(writer, """
            mkdir dir && for i in 1 2 3 4 5; do printf $i > dir/f$i; done && chmod 640 dir/f1 && chmod 600 dir/f2 \
            && touch -d '2020-01-02 03:04:05 UTC' dir/f3
            """)
        writer.unmount()
        let listing = "ls -l --time-style=+%s dir | awk 'NR > 1 {print $1, $6, $7}'"

        let plain = try mount(options: ["attr_timeout=600", "listing_only"])
        try sh(plain, "stat . > /dev/null")
        var before = try server.stats()
        let defaultListing = try sh(plain, listing)
        var heads = try server.stats()["HeadObject", default: 0] - before["HeadObject", default: 0]
        XCTAssertLessThanOrEqual(heads, 2, "a listing_only listing of 5 entries made \(heads) HeadObject requests")
        // Documented for listing_only: listed entries show 0644 & ~umask until looked up by name.
        XCTAssertEqual(defaultListing.split(separator: "\n").first.map { String($0.prefix(11)) }, "-rw-r--r-- ", defaultListing)
        plain.unmount()

        let statListed = try mount(options: ["attr_timeout=600"])
        try sh(statListed, "stat . > /dev/null")
        before = try server.stats()
        let exactListing = try sh(statListed, listing)
        heads = try server.stats()["HeadObject", default: 0] - before["HeadObject", default: 0]
        XCTAssertGreaterThanOrEqual(heads, 5, "the default must HEAD every listed entry")
        XCTAssertLessThanOrEqual(heads, 7, "the default made \(heads) HeadObject requests for 5 entries")
        let lines = exactListing.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, exactListing)
        XCTAssertTrue(lines[0].hasPrefix("-rw-r----- ") && lines[0].hasSuffix(" f1"), exactListing)
        XCTAssertTrue(lines[1].hasPrefix("-rw------- ") && lines[1].hasSuffix(" f2"), exactListing)
        XCTAssertEqual(lines[2], "-rw-r--r-- 1577934245 f3", exactListing)
    }
}
