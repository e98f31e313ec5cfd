import Foundation
import TestSupport
import XCTest

/// The `ossfuse` command itself: errors before mounting, daemonizing, signals, logs, passwd files.
final class CommandLineTests: MountTestCase {
    private var mountPoint: String { scratch + "/mnt" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if MountTable.isFuseMount(mountPoint) {
            _ = try? MountCommand.run("/bin/fusermount3", ["-u", "-z", mountPoint], timeout: 60)
        }
        try super.tearDownWithError()
    }

    private var credentials: [String: String] {
        ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
    }

    /// Runs ossfuse (in the background mode unless `-f` is among `arguments`).
    private func ossfuse(_ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
        let env = environment ?? credentials
        return try MountCommand.run(MountCommand.ossfuseBinary.path, arguments, environment: env, timeout: 120)
    }

    /// A failed start: non-zero status, exactly one line on stderr containing `expected`, no mount.
    private func assertFails(_ result: CommandResult, mentioning expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, result.description, file: file, line: line)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        XCTAssertEqual(lines.count, 1, "expected one line: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(expected), "'\(expected)' not in: \(result.stderr)", file: file, line: line)
        XCTAssertFalse(MountTable.isFuseMount(mountPoint), file: file, line: line)
    }

    private var url: String { "url=\(server.endpoint.absoluteString)" }

    func testWrongSecretFailsWithOneLine() throws {
        var env = credentials
        env["OSS_ACCESS_KEY_SECRET"] = "wrong-secret"
        assertFails(try ossfuse([server.bucket, mountPoint, "-o", url], environment: env), mentioning: "secret")
    }

    func testUnknownAccessKeyFailsWithOneLine() throws {
        var env = credentials
        env["OSS_ACCESS_KEY_ID"] = "no-such-key"
        assertFails(try ossfuse([server.bucket, mountPoint, "-o", url], environment: env), mentioning: "InvalidAccessKeyId")
    }

    func testUnknownBucketFailsWithOneLine() throws {
        assertFails(try ossfuse(["no-such-bucket", mountPoint, "-o", url]), mentioning: "does not exist")
    }

    func testUnreachableEndpointFailsWithOneLine() throws {
        let port = try TestServer.unusedPort()
        assertFails(try ossfuse([server.bucket, mountPoint, "-o", "url=http://127.0.0.1:\(port)"]), mentioning: "cannot reach")
    }

    func testMissingMountPointFailsWithOneLine() throws {
        let result = try ossfuse([server.bucket, scratch + "/nope", "-o", url])
        assertFails(result, mentioning: "does not exist")
    }

    func testUnknownOptionIsAClearError() throws {
        let result = try ossfuse([server.bucket, mountPoint, "-o", "\(url),frobnicate=1"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("unknown option 'frobnicate=1'"), result.stderr)
    }

    func testMountGenericOptionsAreAcceptedAndIgnored() throws {
        let result = try ossfuse([server.bucket, mountPoint, "-o", "rw,nodev,nosuid,_netdev,nofail,auto,user,exec,dev,suid", "-o", url])
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint))
        try unmountAndWaitForDaemon()
    }

    func testPasswdFileReadableByOthersIsRefused() throws {
        let passwd = scratch + "/passwd"
        try "\(server.bucket):\(server.accessKeyId):\(server.accessKeySecret)\n".write(toFile: passwd, atomically: true, encoding: .utf8)
        chmod(passwd, 0o644)
        let refused = try ossfuse([server.bucket, mountPoint, "-o", "\(url),passwd_file=\(passwd)"], environment: [:])
        assertFails(refused, mentioning: "chmod 600")
        chmod(passwd, 0o600)
        let accepted = try ossfuse([server.bucket, mountPoint, "-o", "\(url),passwd_file=\(passwd)"], environment: [:])
        XCTAssertEqual(accepted.status, 0, accepted.description)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint))
        try unmountAndWaitForDaemon()
    }

    func testBackgroundMountIsLiveWhenTheCommandReturnsAndFusermountEndsIt() throws {
        let result = try ossfuse([server.bucket, mountPoint, "-o", url])
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), "mount not live when ossfuse returned")
        XCTAssertEqual(try MountCommand.shell("ls -a", in: mountPoint).stdout, ".\n..\n")
        try unmountAndWaitForDaemon()
    }

    func testSigtermInTheForegroundUnmountsCleanly() throws {
        let started = try MountCommand.start(MountCommand.ossfuseBinary.path,
                                             ["-f", server.bucket, mountPoint, "-o", url], environment: credentials)
        XCTAssertTrue(try eventually { MountTable.isFuseMount(mountPoint) }, started.stderrText)
        kill(started.process.processIdentifier, SIGTERM)
        XCTAssertTrue(try eventually(timeout: 60) { !started.process.isRunning })
        if started.process.isRunning { kill(started.process.processIdentifier, SIGKILL) }
        started.process.waitUntilExit()
        XCTAssertEqual(started.process.terminationStatus, 0, started.stderrText)
        XCTAssertFalse(MountTable.isFuseMount(mountPoint))
    }

    func testDebugLogNamesOperationsAndNeverTheSecret() throws {
        let m = try mount(options: ["attr_timeout=1"], arguments: ["-d"])
        try sh(m, "mkdir d && printf x > d/f && ln -s f d/l && ls -l d > /dev/null && cat d/l > /dev/null")
        m.unmount()
        let log = m.log
        for operation in ["ListObjects", "PutObject", "PutSymlink", "GetObject"] {
            XCTAssertTrue(log.contains(operation), "\(operation) missing from the debug log:\n\(log)")
        }
        XCTAssertTrue(log.contains("d/f"), "keys missing from the debug log")
        XCTAssertFalse(log.contains(server.accessKeySecret), "the secret leaked into the debug log")
    }

    /// mount(8) runs mount.fuse3 with a fixed PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:...),
    /// which runs `ossfuse` from it: link the built binary as /usr/local/bin/ossfuse unless one is
    /// installed, and remove the link afterwards.
    func testMountThroughMountFuse3() throws {
        let installed = "/usr/local/bin/ossfuse"
        var linked = false
        if !FileManager.default.fileExists(atPath: installed) {
            try FileManager.default.createSymbolicLink(atPath: installed, withDestinationPath: MountCommand.ossfuseBinary.path)
            linked = true
        }
        defer { if linked { try? FileManager.default.removeItem(atPath: installed) } }
        let passwd = scratch + "/passwd"
        try "\(server.accessKeyId):\(server.accessKeySecret)\n".write(toFile: passwd, atomically: true, encoding: .utf8)
        chmod(passwd, 0o600)
        let result = try MountCommand.run("/bin/mount", ["-t", "fuse.ossfuse", server.bucket, mountPoint,
                                                         "-o", "\(url),passwd_file=\(passwd),_netdev,nodev"], timeout: 120)
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint))
        XCTAssertEqual(try MountCommand.shell("ln -s a b && readlink b", in: mountPoint).stdout, "a\n")
        try unmountAndWaitForDaemon()
    }

    func testReadOnlyMountRefusesChangesWithEROFS() throws {
        let m = try mount(options: ["ro"])
        for command in ["touch f", "mkdir d", "ln -s a l"] {
            let result = try m.run(command)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains("Read-only file system"), "\(command): \(result.stderr)")
        }
    }

    func testNosymfollowStopsTheKernelFollowingLinks() throws {
        let writer = try mount()
        try sh(writer, "printf x > f && ln -s f l")
        let m = try mount(options: ["nosymfollow"])
        XCTAssertEqual(try sh(m, "readlink l"), "f\n")
        XCTAssertNotEqual(try m.run("cat l").status, 0)
        XCTAssertTrue(MountTable.mountOptions(m.mountPoint)?.contains("nosymfollow") == true)
    }

    /// `fusermount3 -u`, then wait (bounded) until no ossfuse process serves the mount point.
    private func unmountAndWaitForDaemon() throws {
        let result = try MountCommand.run("/bin/fusermount3", ["-u", mountPoint], timeout: 60)
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertTrue(try eventually(timeout: 60) { try daemons().isEmpty }, "ossfuse kept running after unmount")
        for pid in try daemons() { kill(pid, SIGKILL) }
    }

    /// Live ossfuse processes whose command line names this test's mount point.
    private func daemons() throws -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else { return nil }
            let argv = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let program = argv.first, program.hasSuffix("/ossfuse") || program == "ossfuse",
                  argv.contains(mountPoint) else { return nil }
            return pid
        }
    }
}
