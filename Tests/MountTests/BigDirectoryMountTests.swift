import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// A directory of several listing pages through the kernel: readdir streams the store's pages
/// (issue 19), and `ls`, `find`, and a reader that seeks back (`telldir`/`seekdir`) see every
/// name once.
final class BigDirectoryMountTests: MountTestCase {
    override var serverArguments: [String] { ["--populate", "big/:2500"] }

    static let names = (0..<2500).map { String(format: "f%04d", $0) }

    func testEveryNameOnceAcrossPagesAndASeekBackReadsTheSameNames() throws {
        let m = try mount(options: ["listing_only"])
        try sh(m, "stat . > /dev/null")
        let before = try server.stats()
        XCTAssertEqual(try sh(m, "ls big").split(separator: "\n").map(String.init), Self.names)
        let listings = TestServer.difference(try server.stats(), before)["ListObjectsV2", default: 0]
        XCTAssertGreaterThanOrEqual(listings, 3, "2,500 keys are three pages")
        XCTAssertLessThanOrEqual(listings, 4, "one lookup probe of big, then its pages")
        XCTAssertEqual(try sh(m, "find big -type f | wc -l").trimmingCharacters(in: .whitespacesAndNewlines), "2500")
        // Read past the first page, remember where entry 1,200 was, read to the end, go back:
        // the next names are the same as the first time (the kernel asks at the saved offset).
        let script = #"""
        opendir(my $d, "big") or die $!;
        my (@names, $pos, @after);
        while (defined(my $e = readdir($d))) {
            next if $e eq "." || $e eq "..";
            push @names, $e;
            $pos = telldir($d) if @names == 1200;
        }
        seekdir($d, $pos);
        for (1..5) { push @after, scalar readdir($d); }
        print scalar(@names), " ", join(",", @names[1200..1204]), " ", join(",", @after), "\n";
        """#
        try script.write(toFile: "\(scratch!)/seek.pl", atomically: true, encoding: .utf8)
        let out = try sh(m, "perl \(q("\(scratch!)/seek.pl"))").trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = Self.names[1200..<1205].joined(separator: ",")
        XCTAssertEqual(out, "2500 \(expected) \(expected)")
    }

    /// With stored attributes (the default), every name on every page gets them.
    func testLongListingOfEveryPageCarriesStoredAttributes() throws {
        let client = try server.client()
        _ = try runBlocking { try await client.putObject("big/f2499", body: .bytes(Data("x".utf8)),
                                                        options: WriteOptions(userMetadata: ["mode": "33152"])) }
        let m = try mount()
        let lines = try sh(m, "ls -ln big").split(separator: "\n")
        XCTAssertEqual(lines.count, 2501, "a total line and 2,500 entries")
        XCTAssertTrue(lines.last!.hasPrefix("-rw-------"), "the last page's entry shows its stored mode 0600: \(lines.last!)")
    }

    /// A reader that deletes as it goes (Python's scandir reads in batches between the unlinks):
    /// the pages after the first continue from the last key listed, so no name is skipped. `big`
    /// exists only as a prefix: each unlink checks with one listing of one key whether it was the
    /// last (then a marker keeps the empty directory), and drops nothing cached, so the next
    /// unlink needs no lookup (it cost three listings and a HEAD per file before).
    func testDeletingWhileReadingRemovesEveryName() throws {
        let m = try mount(options: ["listing_only"])
        try sh(m, "stat big > /dev/null")
        let before = try server.stats()
        let script = "import os\nn = 0\nfor e in os.scandir('big'):\n    os.unlink(e.path); n += 1\nprint(n, len(os.listdir('big')))"
        XCTAssertEqual(try sh(m, "python3 -c \(q(script))").trimmingCharacters(in: .whitespacesAndNewlines), "2500 0")
        let spent = TestServer.difference(try server.stats(), before)
        XCTAssertEqual(spent["DeleteObject", default: 0], 2500, "\(spent)")
        // One per unlink, plus the pages of both readings and a lookup or two.
        XCTAssertLessThanOrEqual(spent["ListObjectsV2", default: 0], 2500 + 15, "\(spent)")
        XCTAssertLessThanOrEqual(spent["HeadObject", default: 0], 2, "\(spent)")
        XCTAssertEqual(try keys(prefix: "big/"), ["big/"], "only the marker that keeps the emptied directory")
        try sh(m, "test -d big")
    }
}
