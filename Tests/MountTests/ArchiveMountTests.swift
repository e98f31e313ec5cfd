import Foundation
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// Archive-class objects through a real mount (docs/archive-objects.md): reads of an unrestored
/// object, directly or through a link, fail with ENODATA ("No data available") and log the key with
/// the command that restores it; `setfattr -n user.oss.restore` starts the restore; once the server's
/// `--restore-delay` (1 s here) has passed, both read. The tests poll with a bounded wait.
final class ArchiveMountTests: MountTestCase {
    override var serverArguments: [String] { ["--restore-delay", "1"] }

    /// Puts `cold/data.bin` (Archive), `warm.txt` (Standard) and native links to both.
    private func putArchiveAndLinks() async throws {
        let client = try server.client()
        try await client.putObject("cold/data.bin", body: .bytes(Data("frozen bytes".utf8)),
                                   options: WriteOptions(storageClass: "Archive"))
        try await client.putObject("warm.txt", body: .bytes(Data("warm bytes".utf8)), options: WriteOptions())
        try await client.putSymlink("link-cold", target: "cold/data.bin", options: WriteOptions())
        try await client.putSymlink("link-warm", target: "warm.txt", options: WriteOptions())
    }

    func testReadingAnArchiveFileAndALinkToItFailsWithENODATAUntilSetfattrRestoresIt() async throws {
        try await putArchiveAndLinks()
        let m = try mount()
        XCTAssertTrue(try sh(m, "ls -l cold/data.bin").hasPrefix("-rw-r--r--"), "ls -l shows a readable file")
        for name in ["cold/data.bin", "link-cold"] {
            let read = try m.run("cat \(name)")
            XCTAssertNotEqual(read.status, 0, "cat \(name) of an unrestored Archive object succeeded")
            XCTAssertTrue(read.stderr.contains("No data available"), "cat \(name): \(read.stderr)")
        }
        let errno = try sh(m, """
            python3 -c "import errno
            try: open('link-cold', 'rb').read()
            except OSError as e: print(errno.errorcode[e.errno])"
            """)
        XCTAssertEqual(errno, "ENODATA\n", "open succeeds, the read fails")
        let notices = m.log.components(separatedBy: "\n").filter { $0.contains("read of cold/data.bin refused") }
        XCTAssertEqual(notices.count, 1, "one line per key:\n\(m.log)")
        XCTAssertTrue(notices.first?.contains("setfattr -n user.oss.restore -v DAYS \(m.mountPoint)/cold/data.bin") == true,
                      "the line names the command:\n\(m.log)")
        XCTAssertEqual(try sh(m, "cat link-warm"), "warm bytes", "a link to a Standard object reads")

        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.oss.storage_class cold/data.bin"), "Archive")
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.oss.restore cold/data.bin"), "none")
        XCTAssertEqual(try sh(m, "getfattr -h --only-values -n trusted.oss.storage_class link-cold"), "Archive",
                       "a link's storage class is its target's")
        XCTAssertEqual(try sh(m, "getfattr -h --only-values -n trusted.oss.restore link-cold"), "none")
        XCTAssertEqual(try sh(m, "getfattr -h --only-values -n trusted.oss.storage_class link-warm"), "Standard")
        let warm = try m.run("getfattr -n user.oss.restore warm.txt")
        XCTAssertTrue(warm.stderr.contains("No such attribute"), "Standard files have no restore state: \(warm)")
        XCTAssertTrue(try sh(m, "getfattr -d -m - cold/data.bin").contains("user.oss.restore=\"none\""))

        // Through the link: setfattr follows it, so the target's restore starts.
        try sh(m, "setfattr -n user.oss.restore -v 2 link-cold")
        XCTAssertTrue(try eventually {
            try m.run("getfattr --only-values -n user.oss.restore cold/data.bin").stdout.hasPrefix("restored until ")
        }, "the restore never completed")
        XCTAssertEqual(try sh(m, "cat cold/data.bin"), "frozen bytes")
        XCTAssertEqual(try sh(m, "cat link-cold"), "frozen bytes")
        XCTAssertEqual(try sh(m, "cat link-warm"), "warm bytes")
        let until = try sh(m, "getfattr -h --only-values -n trusted.oss.restore link-cold")
        XCTAssertTrue(until.hasPrefix("restored until 20"), until)
        let expiry = HTTPDate.parseISO8601(String(until.dropFirst("restored until ".count))) ?? .distantPast
        XCTAssertGreaterThan(expiry, Date(timeIntervalSinceNow: 86_400), "2 days asked: \(until)")
    }

    /// The storage class comes with the listing and the HEAD `ls -l` makes anyway: a directory of
    /// Archive files costs the same requests as one of Standard files, and no restore or GET.
    func testLsLongOfArchiveFilesCostsNoExtraRequest() async throws {
        let client = try server.client()
        for i in 0..<3 {
            try await client.putObject("arc/f\(i)", body: .bytes(Data("a".utf8)), options: WriteOptions(storageClass: "Archive"))
            try await client.putObject("std/f\(i)", body: .bytes(Data("s".utf8)), options: WriteOptions())
        }
        let m = try mount()
        try sh(m, "stat . > /dev/null")
        var costs: [String: [String: Int]] = [:]
        for dir in ["arc", "std"] {
            let before = try server.stats()
            XCTAssertEqual(try sh(m, "ls -l \(dir) | grep -c ' f[0-9]$'"), "3\n")
            costs[dir] = TestServer.difference(try server.stats(), before)
        }
        XCTAssertEqual(costs["arc"], costs["std"], "ls -l of Archive files costs more: \(costs)")
        XCTAssertNil(costs["arc"]?["RestoreObject"])
        XCTAssertNil(costs["arc"]?["GetObject"])
    }
}

/// Restores that never complete within a test (`--restore-delay 3600`): what the mount shows while
/// one runs, `-o restore_on_open`, and setfattr's answers.
final class ArchiveRestoreRunningMountTests: MountTestCase {
    override var serverArguments: [String] { ["--restore-delay", "3600"] }

    func testRestoreOnOpenStartsTheRestoreOnceAndFailsTheOpenWithENODATA() async throws {
        let client = try server.client()
        try await client.putObject("deep", body: .bytes(Data("d".utf8)), options: WriteOptions(storageClass: "DeepColdArchive"))
        try await client.putObject("plain", body: .bytes(Data("p".utf8)), options: WriteOptions())
        let m = try mount(options: ["restore_on_open"])
        let before = try server.stats()
        let first = try sh(m, """
            python3 -c "import errno
            try: open('deep', 'rb')
            except OSError as e: print(errno.errorcode[e.errno])"
            """)
        XCTAssertEqual(first, "ENODATA\n", "the open fails")
        XCTAssertEqual(try server.stats()["RestoreObject", default: 0] - before["RestoreObject", default: 0], 1)
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.oss.restore deep"), "ongoing")
        let again = try m.run("cat deep")
        XCTAssertTrue(again.stderr.contains("No data available"), again.description)
        XCTAssertEqual(try server.stats()["RestoreObject", default: 0] - before["RestoreObject", default: 0], 1,
                       "a running restore is not asked for again")
        XCTAssertTrue(m.log.contains("open of deep refused: restore started"), m.log)
        XCTAssertEqual(try sh(m, "cat plain"), "p", "Standard files open as always")
    }

    func testSetfattrRestoreAnswers() async throws {
        let client = try server.client()
        try await client.putObject("cold", body: .bytes(Data("c".utf8)), options: WriteOptions(storageClass: "ColdArchive"))
        try await client.putObject("plain", body: .bytes(Data("p".utf8)), options: WriteOptions())
        try await client.putSymlink("link", target: "cold", options: WriteOptions())
        let m = try mount()
        let before = try server.stats()
        try sh(m, "setfattr -h -n trusted.oss.restore -v '3 Expedited' link")
        XCTAssertEqual(try server.stats()["RestoreObject", default: 0] - before["RestoreObject", default: 0], 1)
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.oss.restore cold"), "ongoing", "the link's target")
        try sh(m, "setfattr -n user.oss.restore -v 1 cold")  // already running: fine
        XCTAssertTrue(try m.run("cat cold").stderr.contains("No data available"))
        XCTAssertTrue(try m.run("setfattr -n user.oss.restore -v soon cold").stderr.contains("Invalid argument"))
        XCTAssertTrue(try m.run("setfattr -n user.oss.restore -v '1 Slowly' cold").stderr.contains("Invalid argument"))
        XCTAssertTrue(try m.run("setfattr -n user.oss.restore -v 1 plain").stderr.contains("Operation not supported"),
                      "Standard objects need no restore")
        XCTAssertTrue(try m.run("setfattr -x user.oss.restore cold").stderr.contains("Operation not permitted"))
    }
}
