import Foundation
import TestSupport
import XCTest

/// Issue 13 with unmodified tools: trees of special files carried by cp, tar and rsync, and
/// `rsync -a` run twice being a no-op, in the same mount and after a remount. Every tree is built
/// on local disk (the scratch directory) and compared entry by entry with `stat`.
final class RsyncMountTests: MountTestCase {
    /// One line per entry under the current directory: name, type, device numbers, mode.
    private let typeFingerprint = "find . -mindepth 1 | LC_ALL=C sort | xargs stat -c '%n %F %t %T %a'"

    /// Issue 13 item 9: cp -a, tar -c/-x and rsync -a of a tree holding a fifo, a character and a
    /// block device and a unix socket, into the mount and out of it (after a remount), reproduce
    /// them (GNU tar skips sockets by design).
    func testCpTarAndRsyncCarrySpecialFilesInAndOut() throws {
        let m = try mount()
        try local("""
            mkdir -p src/sub && printf x > src/f && mkfifo -m 640 src/p && mknod -m 600 src/c c 1 3 \
            && mknod -m 660 src/sub/b b 7 0 && python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('src/sub/s')" \
            && chmod 755 src/sub/s
            """)
        let source = try local("cd src && \(typeFingerprint)")
        XCTAssertTrue(source.contains("./sub/s socket 0 0 755") && source.contains("./c character special file 1 3 600"), source)
        let withoutSocket = source.split(separator: "\n").filter { !$0.contains(" socket ") }.map { $0 + "\n" }.joined()
        try local("cp -a src \(q(m.path("cp")))")
        try local("rsync -a src/ \(q(m.path("rs")))/")
        try sh(m, "mkdir tar")
        try local("tar -C src -cf - . 2>/dev/null | tar -C \(q(m.path("tar"))) -xf -")
        for (tree, expected) in [("cp", source), ("rs", source), ("tar", withoutSocket)] {
            XCTAssertEqual(try sh(m, "cd \(tree) && \(typeFingerprint)"), expected, "\(tree) in the mount")
        }
        try m.remount()
        for (tree, expected) in [("cp", source), ("rs", source), ("tar", withoutSocket)] {
            XCTAssertEqual(try sh(m, "cd \(tree) && \(typeFingerprint)"), expected, "\(tree) in the mount after a remount")
        }
        try local("cp -a \(q(m.path("cp"))) back-cp")
        try local("rsync -a \(q(m.path("rs")))/ back-rs/")
        try local("mkdir back-tar && tar -C \(q(m.path("tar"))) -cf - . | tar -C back-tar -xf -")
        for (tree, expected) in [("back-cp", source), ("back-rs", source), ("back-tar", withoutSocket)] {
            XCTAssertEqual(try local("cd \(tree) && \(typeFingerprint)"), expected, "\(tree) copied out of the mount")
        }
    }

    /// Issue 13 item 6 and "Done when": `rsync -a` of a tree with relative and absolute links, a
    /// fifo, modes 600/640/750, another owner and sub-second mtimes, then `rsync -ai` prints
    /// nothing, in the same mount and after a remount; every entry's mode, owner, group, mtime (to
    /// the nanosecond) and type equal the source's.
    func testRsyncTwiceIsANoOpInTheSameMountAndAfterARemount() throws {
        try local("""
            mkdir -p src/sub/deep && cd src && printf a > f600 && printf bb > f640 && printf 'echo c' > x750 \
            && printf d > sub/plain && printf e > sub/deep/g && mkfifo -m 644 sub/fifo \
            && chmod 600 f600 && chmod 640 f640 && chmod 750 x750 sub/deep \
            && ln -s f640 rel && ln -s ../f600 sub/up && ln -s /etc/hostname abs \
            && chown 65534:65534 f640 && chown -h 65534:65534 rel \
            && touch -h -d '2021-03-04 05:06:07.123456789 UTC' f600 rel abs sub/up \
            && touch -d '2020-01-02 03:04:05.544915234 UTC' f640 x750 sub/plain sub/fifo sub/deep/g \
            && touch -d '2019-05-06 07:08:09.2 UTC' sub/deep sub .
            """)
        let fingerprint = "find . | LC_ALL=C sort | TZ=UTC xargs stat -c '%n %a %u %g %y %F'"
        let source = try local("cd src && \(fingerprint)")
        XCTAssertTrue(source.contains("./f640 640 65534 65534 2020-01-02 03:04:05.544915234 +0000 regular file"), source)
        let m = try mount()
        let dst = q(m.path("dst")) + "/"
        try local("rsync -a src/ \(dst)")
        XCTAssertEqual(try local("rsync -ai src/ \(dst)"), "", "a second rsync -ai in the same mount changed something")
        XCTAssertEqual(try sh(m, "cd dst && \(fingerprint)"), source, "attributes in the same mount")
        try m.remount()
        XCTAssertEqual(try local("rsync -ai src/ \(dst)"), "", "rsync -ai after a remount changed something")
        XCTAssertEqual(try sh(m, "cd dst && \(fingerprint)"), source, "attributes after a remount")
    }
}
