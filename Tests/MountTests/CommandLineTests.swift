import Foundation
import TestSupport
import XCTest

/// The `ossfuse` command itself: errors before mounting, daemonizing, signals, logs, passwd files.
final class CommandLineTests: CommandMountTestCase {
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
        XCTAssertTrue(eventually { MountTable.isFuseMount(mountPoint) }, started.stderrText)
        kill(started.process.processIdentifier, SIGTERM)
        XCTAssertTrue(eventually(timeout: 60) { !started.process.isRunning })
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
    /// installed, run `body`, and remove the link afterwards whatever happened.
    private func withOssfuseOnMountsPath(_ body: () throws -> Void) throws {
        let installed = "/usr/local/bin/ossfuse"
        var linked = false
        if !FileManager.default.fileExists(atPath: installed) {
            try FileManager.default.createSymbolicLink(atPath: installed, withDestinationPath: MountCommand.ossfuseBinary.path)
            linked = true
        }
        defer { if linked { try? FileManager.default.removeItem(atPath: installed) } }
        try body()
    }

    func testMountThroughMountFuse3() throws {
        try withOssfuseOnMountsPath {
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
    }

    /// The fstab line of the man page, mounted by mount point alone with `mount -T FILE` (util-linux
    /// reads FILE instead of /etc/fstab) and unmounted with umount(8): no environment, credentials
    /// from passwd_file=, `_netdev` ignored, `allow_other` reaching the kernel.
    func testMountFromAnFstabLineAndUmount() throws {
        try withOssfuseOnMountsPath {
            let passwd = scratch + "/passwd-ossfuse"
            try "\(server.bucket):\(server.accessKeyId):\(server.accessKeySecret)\n"
                .write(toFile: passwd, atomically: true, encoding: .utf8)
            chmod(passwd, 0o600)
            let fstab = scratch + "/fstab"
            let line = "\(server.bucket) \(mountPoint) fuse.ossfuse _netdev,allow_other,passwd_file=\(passwd),\(url) 0 0\n"
            try ("# ossfuse test fstab\n" + line).write(toFile: fstab, atomically: true, encoding: .utf8)
            let result = try MountCommand.run("/bin/mount", ["-T", fstab, mountPoint], environment: ["OSS_ACCESS_KEY_ID": ""],
                                              timeout: 120)
            XCTAssertEqual(result.status, 0, result.description)
            XCTAssertTrue(MountTable.isFuseMount(mountPoint), "mount -T returned before the mount was live")
            XCTAssertTrue(MountTable.superOptions(mountPoint)?.contains("allow_other") == true,
                          String(describing: MountTable.superOptions(mountPoint)))
            let work = try MountCommand.shell("mkdir d && printf hello > d/f && ln -s d/f l && cat l && ls", in: mountPoint)
            XCTAssertEqual(work.stdout, "hellod\nl\n", work.description)
            let client = try server.client()
            let body = try runBlocking { try await client.getObject("d/f", range: nil) }
            XCTAssertEqual(String(decoding: body, as: UTF8.self), "hello")
            let umount = try MountCommand.run("/bin/umount", [mountPoint], timeout: 60)
            XCTAssertEqual(umount.status, 0, umount.description)
            XCTAssertFalse(MountTable.isFuseMount(mountPoint))
            XCTAssertTrue(eventually(timeout: 60) { daemons(servingMountPoint: mountPoint).isEmpty },
                          "ossfuse kept running after umount")
        }
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

    private func unmountAndWaitForDaemon() throws {
        try unmountAndWaitForDaemon(mountPoint)
    }
}

