import Foundation
import OSSClient
import TestSupport
import XCTest

/// A server that fails some requests: the client's retries hide the faults from programs.
final class FaultRateMountTests: MountTestCase {
    override var serverFaultRate: Double { 0.05 }

    func testCopiesInAndOutSucceedDespiteFaults() throws {
        let m = try mount()
        try local("mkdir -p src/d && head -c 40M /dev/urandom > src/big && printf small > src/d/s && ln -s d/s src/l"
                  + " && for i in $(seq 1 30); do printf $i > src/d/f$i; done")
        try local("cp -a src \(q(m.path("t")))")
        try m.remount()
        try local("cp -a \(q(m.path("t"))) back && diff -r --no-dereference src back")
        XCTAssertEqual(try sh(m, "sha256sum < t/big"), try local("sha256sum < src/big"))
    }
}

/// The server goes away while a file is being written: close() reports the failure and the old
/// object stays whole.
final class ServerLossMountTests: MountTestCase {
    /// Writes `size` bytes over an existing file, waits for `go`, then closes; prints the outcome.
    private let writer = """
    import os, sys, time
    path, size, ready, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    fd = os.open(path, os.O_WRONLY)
    chunk = os.urandom(1 << 20)
    for i in range(size >> 20): os.write(fd, chunk)
    open(ready, 'w').close()
    while not os.path.exists(go): time.sleep(0.05)
    try:
        os.close(fd); print('closed')
    except OSError as e:
        print('close failed', e.errno)
    """

    func testCloseFailsAndTheOldObjectSurvives() throws {
        try local("cat > writer.py <<'PY'\n\(writer)\nPY")
        for (name, mebibytes) in [("small", 8), ("multipart", 40)] {
            let m = try mount()
            try sh(m, "printf old > \(name)")
            let ready = "\(scratch!)/\(name).ready", go = "\(scratch!)/\(name).go"
            let python = try MountCommand.start("/usr/bin/python3", ["\(scratch!)/writer.py", m.path(name),
                                                                       String(mebibytes << 20), ready, go])
            XCTAssertTrue(eventually(timeout: 120) { FileManager.default.fileExists(atPath: ready) }, python.stderrText)
            server.stop()
            XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil), "cannot signal the writer")
            XCTAssertTrue(eventually(timeout: 600) { !python.process.isRunning }, "writer still running")
            if python.process.isRunning { kill(python.process.processIdentifier, SIGKILL); python.process.waitUntilExit() }
            let outcome = python.result()
            XCTAssertTrue(outcome.stdout.hasPrefix("close failed"), "\(name): \(outcome)")
            m.unmount()
            try server.restart()
            let client = try server.client()
            let body = try runBlocking { try await client.getObject(name, range: nil) }
            XCTAssertEqual(String(decoding: body, as: UTF8.self), "old", "\(name): the object was replaced by a partial upload")
            try m.remount()
            XCTAssertEqual(try sh(m, "cat \(name)"), "old")
            m.unmount()
        }
    }
}
