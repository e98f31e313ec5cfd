import Foundation
import TestSupport
import XCTest

/// Symlinks through a real mount, driven by unmodified programs.
final class SymlinkMountTests: MountTestCase {
    /// Files and directories the link tests point at, made through the mount.
    private func makeTree(_ m: MountedBucket) throws {
        try sh(m, "mkdir -p docs/sub 'with space' && printf hello > docs/a.txt && printf deep > docs/sub/b.txt && printf sp > 'with space/c d.txt'")
    }

    func testLinksShowInLsAndReadlinkReturnsTheExactText() throws {
        let m = try mount()
        try makeTree(m)
        try sh(m, "ln -s a.txt docs/rel && ln -s \(q(m.path("docs/a.txt"))) abs && ln -s no/such/thing dangling"
                 + " && ln -s docs dirlink && ln -s rel docs/chain && ln -s ../../docs/./sub/../a.txt docs/sub/up")
        let listing = try sh(m, "ls -l docs")
        XCTAssertTrue(listing.contains("rel -> a.txt"), listing)
        XCTAssertTrue(listing.contains("chain -> rel"), listing)
        XCTAssertTrue(try sh(m, "ls -l").contains("dangling -> no/such/thing"))
        XCTAssertEqual(try sh(m, "readlink docs/rel abs dangling dirlink docs/chain docs/sub/up"),
                       "a.txt\n\(m.path("docs/a.txt"))\nno/such/thing\ndocs\nrel\n../../docs/./sub/../a.txt\n")
        XCTAssertEqual(try sh(m, "stat -c '%F|%s|%a' docs/rel dangling"), "symbolic link|5|777\nsymbolic link|13|777\n")
        XCTAssertEqual(try sh(m, "cat docs/rel abs docs/chain docs/sub/up dirlink/sub/b.txt"), "hellohellohellohellodeep")
        XCTAssertEqual(try sh(m, "stat -L -c '%F|%s' docs/chain && stat -L -c %F dirlink"), "regular file|5\ndirectory\n")
        let cat = try m.run("cat dangling")
        XCTAssertNotEqual(cat.status, 0)
        XCTAssertTrue(cat.stderr.contains("No such file or directory"), cat.stderr)
    }

    func testLinkLoopIsELOOP() throws {
        let m = try mount()
        try sh(m, "ln -s loop2 loop1 && ln -s loop1 loop2")
        let result = try m.run("cat loop1")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("Too many levels of symbolic links"), result.stderr)
    }

    func testFindFollowsLinksToDirectories() throws {
        let m = try mount()
        try makeTree(m)
        try sh(m, "mkdir top && ln -s ../docs top/docs-link")
        let found = try sh(m, "find -L top -type f | sort")
        XCTAssertEqual(found, "top/docs-link/a.txt\ntop/docs-link/sub/b.txt\n")
        XCTAssertEqual(try sh(m, "find top -type l"), "top/docs-link\n")
    }

    func testNamesAndTargetsWithSpacesUTF8PercentAndPlus() throws {
        let m = try mount()
        try makeTree(m)
        let names = ["link with space", "链接-ü", "100%+done", "a+b%20c"]
        let targets = ["with space/c d.txt", "../\(URL(fileURLWithPath: m.mountPoint).lastPathComponent)/with space/c d.txt",
                       "with space/c d.txt", "./with space/c d.txt"]
        for (name, target) in zip(names, targets) { try sh(m, "ln -s \(q(target)) \(q(name))") }
        for (name, target) in zip(names, targets) {
            XCTAssertEqual(try sh(m, "readlink \(q(name))"), target + "\n")
            XCTAssertEqual(try sh(m, "stat -c %s \(q(name))"), "\(target.utf8.count)\n")
        }
        for name in [names[0], names[2], names[3]] { XCTAssertEqual(try sh(m, "cat \(q(name))"), "sp") }
        let weird = "目标 %41+x.txt"
        try sh(m, "printf utf > \(q(weird)) && ln -s \(q(weird)) \(q("→ " + weird))")
        XCTAssertEqual(try sh(m, "cat \(q("→ " + weird))"), "utf")
        try m.remount()
        XCTAssertEqual(try sh(m, "readlink \(q(names[1]))"), targets[1] + "\n")
        XCTAssertEqual(try sh(m, "cat \(q("→ " + weird))"), "utf")
    }

    func testLinkOntoExistingNameIsEEXIST() throws {
        let m = try mount()
        try makeTree(m)
        try sh(m, "ln -s docs/a.txt l")
        for existing in ["l", "docs", "docs/a.txt"] {
            let result = try m.run("ln -s -T whatever \(existing == "docs" ? "docs/sub" : existing)")
            XCTAssertNotEqual(result.status, 0, existing)
            XCTAssertTrue(result.stderr.contains("File exists"), result.stderr)
        }
        XCTAssertEqual(try sh(m, "readlink l"), "docs/a.txt\n")
        XCTAssertEqual(try sh(m, "cat docs/a.txt"), "hello")
    }

    func testNameOf256BytesIsENAMETOOLONG() throws {
        let m = try mount()
        let long = String(repeating: "n", count: 256)
        for command in ["ln -s target \(long)", "touch \(long)", "mkdir \(long)"] {
            let result = try m.run(command)
            XCTAssertNotEqual(result.status, 0, command)
            XCTAssertTrue(result.stderr.contains("File name too long"), "\(command): \(result.stderr)")
        }
        let ok = String(repeating: "n", count: 255)
        try sh(m, "ln -s target \(ok)")
        XCTAssertEqual(try sh(m, "readlink \(ok)"), "target\n")
    }

    func testPythonSeesLinksThroughOsModule() throws {
        let m = try mount()
        try makeTree(m)
        try sh(m, "ln -s sub/b.txt docs/l && ln -s ../l docs/sub/l2")
        let script = """
        import os, stat
        print(os.readlink('docs/l'))
        st = os.lstat('docs/l'); print(stat.S_ISLNK(st.st_mode), st.st_size)
        print(os.path.realpath('docs/sub/l2') == os.path.realpath('docs/sub/b.txt'))
        print(os.path.islink('docs/sub/l2'), os.path.isfile('docs/sub/l2'), open('docs/sub/l2').read())
        os.symlink('a.txt', 'docs/py'); print(os.readlink('docs/py'), open('docs/py').read())
        """
        XCTAssertEqual(try sh(m, "python3 -c \(q(script))"), "sub/b.txt\nTrue 9\nTrue\nTrue True deep\na.txt hello\n")
    }

    func testRenamedAndDeletedLinks() throws {
        let m = try mount()
        try makeTree(m)
        try sh(m, "ln -s a.txt docs/l && mv docs/l docs/sub/l")
        XCTAssertEqual(try sh(m, "readlink docs/sub/l"), "a.txt\n")
        XCTAssertNotEqual(try m.run("cat docs/sub/l").status, 0, "relative link moved elsewhere dangles as on a local disk")
        try sh(m, "mv docs/sub/l docs/l2 && rm docs/l2")
        XCTAssertEqual(try sh(m, "cat docs/a.txt"), "hello", "deleting a link keeps its target")
        XCTAssertEqual(try sh(m, "ls docs"), "a.txt\nsub\n")
    }
}
