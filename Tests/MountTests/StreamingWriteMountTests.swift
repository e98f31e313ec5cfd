import Foundation
import OSSClient
import TestSupport
import XCTest

/// The write path's request pattern (issue 19): a sequential writer's parts go up while it is
/// still writing; metadata set on a file before its upload rides on that upload; tar -x and a
/// create in a fresh directory cost no request beyond the writes. Counts from the server's stats.
final class StreamingWriteMountTests: MountTestCase {
    /// Writes argv[2] MiB to argv[1] in 1 MiB writes (byte i % 251 in MiB i), pausing (creates
    /// READY, waits for GO) after argv[3] MiB, and again before the close (READY.end, GO.end) when
    /// argv[6] is 1; prints "closed" or "close failed ERRNO".
    private let writer = """
    import os, sys, time
    path, total, pause, ready, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    def wait(r, g):
        open(r, 'w').close()
        while not os.path.exists(g): time.sleep(0.05)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for i in range(total):
        if i == pause: wait(ready, go)
        os.write(fd, bytes([i % 251]) * (1 << 20))
    if pause >= total: wait(ready, go)
    if sys.argv[6] == '1': wait(ready + '.end', go + '.end')
    try:
        os.close(fd); print('closed')
    except OSError as e:
        print('close failed', e.errno)
    """

    private func startWriter(_ m: MountedBucket, _ name: String, mebibytes: Int, pauseAfter: Int, pauseBeforeClose: Bool = false) throws
        -> (MountCommand.Started, ready: String, go: String) {
        try local("cat > writer.py <<'PY'\n\(writer)\nPY")
        let ready = "\(scratch!)/\(name).ready", go = "\(scratch!)/\(name).go"
        let python = try MountCommand.start("/usr/bin/python3", ["\(scratch!)/writer.py", m.path(name), String(mebibytes),
                                                                   String(pauseAfter), ready, go,
                                                                   pauseBeforeClose ? "1" : "0"])
        return (python, ready, go)
    }

    private func finish(_ python: MountCommand.Started) -> String {
        XCTAssertTrue(eventually(timeout: 600) { !python.process.isRunning }, "writer still running")
        if python.process.isRunning { kill(python.process.processIdentifier, SIGKILL); python.process.waitUntilExit() }
        return python.result().stdout
    }

    private func expectedSha(mebibytes: Int) throws -> String {
        try local("python3 -c \"import sys\nfor i in range(\(mebibytes)): sys.stdout.buffer.write(bytes([i % 251]) * (1 << 20))\" | sha256sum")
    }

    /// 8 parts of 1 MiB: while the writer is paused in part 8, parts 1-7 are on the server already
    /// (the close only sends part 8 and completes), and each part is sent once.
    func testSequentialWriteUploadsPartsBeforeClose() throws {
        let m = try mount(options: ["multipart_threshold=1M", "part_size=1M"])
        let before = try server.stats()
        let (python, ready, go) = try startWriter(m, "seq.bin", mebibytes: 8, pauseAfter: 8)
        XCTAssertTrue(eventually(timeout: 120) { FileManager.default.fileExists(atPath: ready) }, python.stderrText)
        // Parts the writer has moved past go up in the background: 7 of them before any close.
        let sent = try eventually(timeout: 120) { try server.stats()["UploadPart", default: 0] - before["UploadPart", default: 0] >= 7 }
        let during = try server.stats()
        XCTAssertTrue(sent, "parts not uploaded while the file was open: \(TestServer.difference(during, before))")
        XCTAssertEqual(during["CompleteMultipartUpload", default: 0] - before["CompleteMultipartUpload", default: 0], 0)
        XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))
        XCTAssertEqual(finish(python), "closed\n")
        let after = TestServer.difference(try server.stats(), before)
        XCTAssertEqual(after["UploadPart", default: 0], 8, "each part sent once: \(after)")
        XCTAssertEqual(after["InitiateMultipartUpload", default: 0], 1, "\(after)")
        XCTAssertEqual(after["CompleteMultipartUpload", default: 0], 1, "\(after)")
        XCTAssertEqual(after["PutObject", default: 0], 0, "\(after)")
        XCTAssertEqual(try sh(m, "sha256sum < seq.bin"), try expectedSha(mebibytes: 8))
        try m.remount()
        XCTAssertEqual(try sh(m, "sha256sum < seq.bin"), try expectedSha(mebibytes: 8))
    }

    /// Parts sent early and then written again (an overwrite of an uploaded range, a write before
    /// the end) are sent again at close: the object is what was written last.
    func testRewriteOfAnUploadedPartIsSentAgain() throws {
        let m = try mount(options: ["multipart_threshold=1M", "part_size=1M"])
        // Sequential 6 MiB, then overwrites inside parts 1 and 3 (already sent) and an extension.
        try local("head -c 6M /dev/urandom > src.bin && cp src.bin local.bin")
        let before = try server.stats()
        try sh(m, """
            python3 - \(q(scratch + "/src.bin")) rw.bin <<'PY'
            import os, sys
            src = open(sys.argv[1], 'rb').read()
            fd = os.open(sys.argv[2], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            for i in range(6): os.write(fd, src[i << 20:(i + 1) << 20])
            os.pwrite(fd, b'A' * 1000, 10)
            os.pwrite(fd, b'B' * 5000, (2 << 20) + 77)
            os.pwrite(fd, b'C' * 3000, 6 << 20)
            os.close(fd)
            PY
            """)
        try local("""
            python3 - local.bin <<'PY'
            import os, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            os.pwrite(fd, b'A' * 1000, 10)
            os.pwrite(fd, b'B' * 5000, (2 << 20) + 77)
            os.pwrite(fd, b'C' * 3000, 6 << 20)
            os.close(fd)
            PY
            """)
        let after = TestServer.difference(try server.stats(), before)
        XCTAssertEqual(after["CompleteMultipartUpload", default: 0], 1, "\(after)")
        XCTAssertEqual(try sh(m, "sha256sum < rw.bin"), try local("sha256sum < local.bin"))
        try m.remount()
        XCTAssertEqual(try sh(m, "sha256sum < rw.bin"), try local("sha256sum < local.bin"))
    }

    /// The server goes away after parts went up and stays away while the rest is written: the
    /// background parts started then meet a server that is down (they fail, or their retries
    /// outlast the outage). It comes back before close: close sends whatever is missing and
    /// succeeds, and the object is whole. (An outage over the close itself makes close() fail:
    /// ServerLossMountTests.)
    func testFailedBackgroundPartsAreSentAgainAtClose() throws {
        let m = try mount(options: ["multipart_threshold=1M", "part_size=1M"])
        let before = try server.stats()
        let (python, ready, go) = try startWriter(m, "outage.bin", mebibytes: 8, pauseAfter: 3, pauseBeforeClose: true)
        XCTAssertTrue(eventually(timeout: 120) { FileManager.default.fileExists(atPath: ready) }, python.stderrText)
        XCTAssertTrue(try eventually(timeout: 120) { try server.stats()["UploadPart", default: 0] - before["UploadPart", default: 0] >= 2 })
        server.stop()
        XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))
        // Parts 3..7 are started in the background against a server that is down.
        XCTAssertTrue(eventually(timeout: 120) { FileManager.default.fileExists(atPath: ready + ".end") }, python.stderrText)
        try server.restart()
        XCTAssertTrue(FileManager.default.createFile(atPath: go + ".end", contents: nil))
        XCTAssertEqual(finish(python), "closed\n", "ossfuse log:\n\(m.log)")
        XCTAssertEqual(try sh(m, "sha256sum < outage.bin"), try expectedSha(mebibytes: 8))
        try m.remount()
        XCTAssertEqual(try sh(m, "sha256sum < outage.bin"), try expectedSha(mebibytes: 8))
    }

    /// chmod, chown and utimens on a file still open with unsaved writes ride on its upload: no
    /// CopyObject; tar -x (which sets them before close for every file, and as root chowns every
    /// directory to the owner it already has) copies only for directory modes and times.
    func testMetadataSetBeforeCloseRidesOnTheUpload() throws {
        // A long attr_timeout: `d` and `x` are not looked up again while the commands run.
        let m = try mount(options: ["attr_timeout=600"])
        try sh(m, "mkdir d")
        var before = try server.stats()
        // Run from the scratch directory: python looks up files of its own in its working directory.
        try local("""
            python3 -I - \(q(m.path("d/f"))) <<'PY'
            import os, sys
            fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, b'x' * 100)
            os.fchmod(fd, 0o640)
            os.fchown(fd, 0, 0)
            os.utime(fd, (1500000000, 1500000000))
            os.close(fd)
            PY
            """)
        var counts = TestServer.difference(try server.stats(), before)
        XCTAssertEqual(counts["CopyObject", default: 0], 0, "\(counts)")
        XCTAssertEqual(counts["PutObject", default: 0], 1, "\(counts)")
        XCTAssertEqual(counts["HeadObject", default: 0] + counts["GetObject", default: 0], 0, "\(counts)")
        try m.remount()
        XCTAssertEqual(try sh(m, "stat -c '%a %Y %s' d/f"), "640 1500000000 100\n")

        try local("mkdir -p src/a/b && for i in 1 2 3 4 5 6; do printf $i > src/a/f$i; printf $i > src/a/b/g$i; done"
                  + " && chmod 600 src/a/f1 && touch -d '2020-01-02 03:04:05 UTC' src/a/f2 && ln -s f3 src/a/l"
                  + " && tar -cf t.tar -C src a")
        try sh(m, "mkdir x")
        before = try server.stats()
        try sh(m, "tar -C x -xf \(q(scratch + "/t.tar"))")
        counts = TestServer.difference(try server.stats(), before)
        // 2 directories: at most a chmod and a utimens each; nothing for the 12 files or the link.
        XCTAssertLessThanOrEqual(counts["CopyObject", default: 0], 4, "\(counts)")
        XCTAssertEqual(counts["PutObject", default: 0], 14, "12 files and 2 directory markers: \(counts)")
        XCTAssertEqual(counts["HeadObject", default: 0] + counts["GetObject", default: 0], 0, "\(counts)")
        try m.remount()
        XCTAssertEqual(try sh(m, "stat -c '%a %Y' x/a/f1 x/a/f2"), "600 \(try local("stat -c %Y src/a/f1"))644 1577934245\n")
        XCTAssertEqual(try sh(m, "cat x/a/b/g6; readlink x/a/l"), "6f3\n")
    }

    /// Files created in a directory made by this mount: one PutObject each, no HEAD or GET.
    func testCreatesInAFreshDirectoryCostOnePutEach() throws {
        let m = try mount()
        try sh(m, "mkdir fresh")
        let before = try server.stats()
        // cp (open, write, close). A shell redirection would cost one more PutObject per file: the
        // shell closes the descriptor it dup2()s, and that close's flush stores the empty file.
        try local("printf data > one")
        try sh(m, "for i in $(seq 1 20); do cp \(q(scratch + "/one")) fresh/f$i; done")
        let counts = TestServer.difference(try server.stats(), before)
        XCTAssertEqual(counts, ["PutObject": 20], "requests for 20 creates: \(counts)")
    }

    /// git's lock-file dance in a directory made here (write `HEAD.lock`, rename it to `HEAD`,
    /// then `config.lock`, a name never seen, ...): the renames keep the directory's names known,
    /// so no lookup asks the server. Each round is its PutObject, and the rename's CopyObject and
    /// DeleteObject.
    func testLockFileRenamesInAFreshDirectoryNeedNoLookups() throws {
        let m = try mount(options: ["attr_timeout=600", "negative_timeout=600"])
        try sh(m, "mkdir repo")
        try local("printf data > one")
        let before = try server.stats()
        try sh(m, "for i in 1 2 3 4 5; do cp \(q(scratch + "/one")) repo/f$i.lock && mv repo/f$i.lock repo/f$i; done")
        let counts = TestServer.difference(try server.stats(), before)
        XCTAssertEqual(counts, ["PutObject": 5, "CopyObject": 5, "DeleteObject": 5], "requests: \(counts)")
        XCTAssertEqual(try sh(m, "ls repo; cat repo/f5"), "f1\nf2\nf3\nf4\nf5\ndata")
    }
}
