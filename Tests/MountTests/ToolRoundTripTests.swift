import Foundation
import TestSupport
import XCTest

/// Whole trees with links carried in and out of the mount by tar, rsync and cp, compared with diff.
final class ToolRoundTripTests: MountTestCase {
    /// A local tree with files, directories, relative/absolute/dangling links, chains and odd names.
    private func makeLocalTree(_ root: String) throws {
        try local("""
        mkdir -p \(root)/d/sub '\(root)/sp ace' && cd \(root) && printf one > f1 && head -c 100000 /dev/urandom > d/bin \
        && printf two > 'sp ace/f 2' && printf 三 > 'd/sub/ü%+.txt' && : > empty \
        && ln -s f1 l1 && ln -s d/sub/ü%+.txt d/../l-utf && ln -s ../f1 d/up && ln -s l1 chain && ln -s d dirlink \
        && ln -s missing/target dangling && ln -s /etc/hostname outside && ln -s 'sp ace/f 2' 'l sp' \
        && chmod 640 f1 && chmod 755 d/bin
        """)
    }

    func testTarOfATreeWithLinksRoundTrips() throws {
        let m = try mount()
        try makeLocalTree("src")
        try local("tar -C src -cf src.tar .")
        try sh(m, "mkdir t && tar -C t -xf \(q(scratch + "/src.tar"))")
        XCTAssertEqual(try sh(m, "readlink t/l1 t/chain t/dangling t/outside"), "f1\nl1\nmissing/target\n/etc/hostname\n")
        try local("mkdir out && tar -C \(q(m.path("t"))) -cf - . | tar -C out -xf -")
        try local("diff -r --no-dereference src out")
    }

    /// Mounted with `stat_listed`: a listing carries no user metadata, so after a remount only a
    /// HEAD per listed entry gives rsync the stored modes and mtimes it compares; exact rsync round
    /// trips across remounts need the option. The default (no HEAD per entry, stored attributes once
    /// an entry is looked up) is pinned by RequestCountingTests and WriteMountTests.
    func testRsyncInAndOut() throws {
        let m = try mount(options: ["stat_listed"])
        try makeLocalTree("src")
        try local("rsync -a src/ \(q(m.path("r")))/")
        try m.remount()
        try local("rsync -a \(q(m.path("r")))/ back/")
        try local("diff -r --no-dereference src back")
        XCTAssertEqual(try local("stat -c %a back/f1"), "640\n")
        // A second rsync transfers and creates nothing: sizes and mtimes survived.
        let again = try local("rsync -ai src/ \(q(m.path("r")))/")
        XCTAssertEqual(again.split(separator: "\n").filter { $0.hasPrefix(">") || $0.hasPrefix("c") }, [], again)
    }

    func testCpArchiveOfAMixedTreeInAndOut() throws {
        let m = try mount()
        try makeLocalTree("src")
        try local("cp -a src \(q(m.path("c")))")
        try local("cp -a \(q(m.path("c"))) copy")
        try local("diff -r --no-dereference src copy")
        XCTAssertEqual(try local("readlink copy/d/up copy/dangling"), "../f1\nmissing/target\n")
    }
}
