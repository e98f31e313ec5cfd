import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// SIGTERM with files still open for writing: their staged writes are uploaded, then the mount
/// goes away and ossfuse exits 0 (what a Kubernetes pod's stop relies on).
final class GracefulStopMountTests: CommandMountTestCase {
    /// The ossfuse process of the current test (killed by its id in tearDown if still alive).
    private var started: MountCommand.Started?
    /// The writer holding files open (stopped by its id in tearDown).
    private var writer: HelperProcess?

    override func tearDownWithError() throws {
        writer?.stop()
        if let started, started.process.isRunning {
            kill(started.process.processIdentifier, SIGKILL)
            started.process.waitUntilExit()
        }
        try super.tearDownWithError()
    }

    /// Opens each file given for writing, writes `size` bytes (a pattern naming the file) without
    /// closing it, prints "ready", then waits to be killed.
    private static let holder = """
        import os, sys, time
        size = int(sys.argv[1])
        files = []
        for path in sys.argv[2:]:
            f = open(path, "wb", buffering=0)
            pattern = (os.path.basename(path) + ":0123456789abcdef\\n").encode()
            f.write((pattern * (size // len(pattern) + 1))[:size])
            files.append(f)
        print("ready", flush=True)
        time.sleep(3600)
        """

    private static func content(_ name: String, size: Int) -> Data {
        let pattern = Data("\(name):0123456789abcdef\n".utf8)
        var data = Data()
        while data.count < size { data.append(pattern) }
        return data.prefix(size)
    }

    private func startMount(options: [String] = []) throws -> MountCommand.Started {
        let environment = ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
        let process = try MountCommand.start(MountCommand.ossfuseBinary.path,
                                             ["-f", server.bucket, mountPoint,
                                              "-o", (["url=\(server.endpoint.absoluteString)"] + options).joined(separator: ",")],
                                             environment: environment)
        started = process
        XCTAssertTrue(eventually { MountTable.isFuseMount(mountPoint) || !process.process.isRunning }, process.stderrText)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), process.stderrText)
        return process
    }

    private func holdOpen(_ names: [String], size: Int) throws {
        writer = try HelperProcess("/usr/bin/python3", ["-c", Self.holder, String(size)] + names.map { mountPoint + "/" + $0 }) {
            $0.contains("ready")
        }
    }

    func testSigtermUploadsFilesStillOpenForWritingThenUnmountsAndExitsZero() throws {
        // Large enough that each goes up as a multipart upload of several parts.
        let size = 700 << 10
        let process = try startMount(options: ["multipart_threshold=512K", "part_size=256K"])
        let names = (1...5).map { "open\($0).bin" }
        try holdOpen(names, size: size)
        XCTAssertEqual(try keys(), [], "nothing should be stored while the files are open and unflushed")

        kill(process.process.processIdentifier, SIGTERM)
        XCTAssertTrue(eventually(timeout: 120) { !process.process.isRunning }, "ossfuse kept running after SIGTERM")
        let result = process.result()
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertFalse(MountTable.isFuseMount(mountPoint), "the mount outlived the process")
        XCTAssertTrue(result.stderr.contains("SIGTERM: uploading open files"), result.stderr)
        XCTAssertTrue(result.stderr.contains("5 open files uploaded, 0 failed"), result.stderr)

        XCTAssertEqual(try keys(), Set(names))
        let client = try server.client()
        for name in names {
            let stored = try runBlocking { try await client.getObject(name, range: nil) }
            XCTAssertEqual(stored.count, size, name)
            XCTAssertTrue(stored == Self.content(name, size: size), "\(name) is not what was written")
        }
    }

    func testStopTimeoutEndsAStopWhoseUploadsCannotFinishAndExitsNonZero() throws {
        let process = try startMount(options: ["stop_timeout=1"])
        try holdOpen(["stuck.bin"], size: 4096)
        // Every request is throttled: the upload keeps retrying (about a minute) past the deadline.
        try server.process.startQpsLimitStorm(seconds: 600)
        kill(process.process.processIdentifier, SIGTERM)
        XCTAssertTrue(eventually(timeout: 120) { !process.process.isRunning }, "ossfuse kept running past stop_timeout")
        let result = process.result()
        XCTAssertEqual(result.status, 1, "unsaved writes were lost: the exit status must say so\n\(result)")
        XCTAssertFalse(MountTable.isFuseMount(mountPoint), "the mount outlived the process")
        XCTAssertTrue(result.stderr.contains("stop_timeout (1 s) passed: stopping without waiting for the uploads"), result.stderr)
    }

    func testASecondSigtermEndsAStopWhoseUploadsAreStillRetrying() throws {
        let process = try startMount(options: ["stop_timeout=600"])
        try holdOpen(["throttled.bin"], size: 4096)
        // Every request is throttled: the upload keeps retrying (about a minute) after the signal.
        try server.process.startQpsLimitStorm(seconds: 600)
        kill(process.process.processIdentifier, SIGTERM)
        XCTAssertTrue(eventually(timeout: 60) { process.stderrText.contains("SIGTERM: uploading open files") }, process.stderrText)
        XCTAssertTrue(process.process.isRunning, "the first SIGTERM must wait for the upload: \(process.stderrText)")
        kill(process.process.processIdentifier, SIGTERM)
        XCTAssertTrue(eventually(timeout: 60) { !process.process.isRunning }, "a second SIGTERM did not end the stop")
        let result = process.result()
        XCTAssertEqual(result.status, 1, "unsaved writes were lost: the exit status must say so\n\(result)")
        XCTAssertTrue(result.stderr.contains("SIGTERM again: stopping without waiting for the uploads"), result.stderr)
        XCTAssertFalse(MountTable.isFuseMount(mountPoint), "the mount outlived the process")
    }
}
