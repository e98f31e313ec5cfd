import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// The Kubernetes CSI pattern: a privileged parent opens /dev/fuse, mounts it with mount(2) and
/// hands the descriptor to `ossfuse -f BUCKET /dev/fd/N`, which runs without CAP_SYS_ADMIN.
final class HandedInDeviceMountTests: CommandMountTestCase {
    /// The ossfuse process started by the current test (killed by its id in tearDown if alive).
    private var started: MountCommand.Started?

    override func tearDownWithError() throws {
        if let started, started.process.isRunning {
            kill(started.process.processIdentifier, SIGKILL)
            started.process.waitUntilExit()
        }
        if scratch != nil && MountTable.isFuseMount(mountPoint) { umount2(mountPoint, Int32(MNT_DETACH)) }
        try super.tearDownWithError()
    }

    /// Opens /dev/fuse, mounts it on `mountPoint` (the parent's job), then execs ossfuse on
    /// `/dev/fd/N` through `setpriv`, which drops CAP_SYS_ADMIN from the bounding set (so root's
    /// exec cannot regain it). The process keeps its id through both execs.
    private static let parent = """
        import ctypes, os, sys
        mount_point, ossfuse, *arguments = sys.argv[1:]
        fd = os.open("/dev/fuse", os.O_RDWR)
        os.set_inheritable(fd, True)
        libc = ctypes.CDLL(None, use_errno=True)
        data = f"fd={fd},rootmode=40000,user_id=0,group_id=0,default_permissions".encode()
        MS_NOSUID, MS_NODEV = 2, 4
        if libc.mount(b"ossfuse:test", mount_point.encode(), b"fuse.ossfuse", ctypes.c_ulong(MS_NOSUID | MS_NODEV), data) != 0:
            sys.exit("mount: " + os.strerror(ctypes.get_errno()))
        os.execv("/usr/bin/setpriv", ["setpriv", "--inh-caps=-all", "--bounding-set=-sys_admin", "--",
                                      ossfuse, "-f", *arguments[:1], f"/dev/fd/{fd}", *arguments[1:]])
        """

    func testServesAHandedInDeviceWithoutSysAdmin() throws {
        let client = try server.client()
        try runBlocking { _ = try await client.putObject("seeded.txt", body: .bytes(Data("from the bucket\n".utf8)), options: WriteOptions()) }
        let environment = ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
        let process = try MountCommand.start("/usr/bin/python3", ["-c", Self.parent, mountPoint, MountCommand.ossfuseBinary.path,
                                                                   server.bucket, "-o", "url=\(server.endpoint.absoluteString)"],
                                             environment: environment)
        started = process
        XCTAssertTrue(eventually { MountTable.isFuseMount(mountPoint) || !process.process.isRunning },
                      "the parent did not mount: \(process.stderrText)")
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), process.stderrText)

        // The first access waits for ossfuse to answer the kernel's INIT.
        let read = try MountCommand.shell("cat seeded.txt", in: mountPoint, timeout: 60)
        XCTAssertEqual(read.stdout, "from the bucket\n", "\(read)\nossfuse: \(process.stderrText)")

        let pid = process.process.processIdentifier
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        XCTAssertTrue(executable.hasSuffix("/ossfuse"), "pid \(pid) runs \(executable)")
        XCTAssertEqual(try Self.effectiveCapabilities(pid) & (1 << 21), 0, "ossfuse still holds CAP_SYS_ADMIN")

        let write = try MountCommand.shell("printf 'through the fd\\n' > written.txt && mkdir d && cp seeded.txt d/copy && ls d",
                                           in: mountPoint, timeout: 60)
        XCTAssertEqual(write.stdout, "copy\n", write.description)
        let stored = try runBlocking { try await client.getObject("written.txt", range: nil) }
        XCTAssertEqual(String(decoding: stored, as: UTF8.self), "through the fd\n")
        XCTAssertEqual(try keys(), ["seeded.txt", "written.txt", "d/", "d/copy"])

        // The parent unmounts; ossfuse sees the connection end and exits 0.
        XCTAssertEqual(umount2(mountPoint, 0), 0, String(cString: strerror(errno)))
        XCTAssertTrue(eventually(timeout: 60) { !process.process.isRunning }, "ossfuse kept running after the unmount")
        let result = process.result()
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertTrue(result.stderr.contains("handed in as /dev/fd/"), result.stderr)
    }

    func testRefusesADescriptorThatIsNotAFUSEDevice() throws {
        let environment = ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
        // Descriptor 0 is /dev/null here; 97 is not open.
        for (path, expected) in [("/dev/fd/0", "is not /dev/fuse"), ("/dev/fd/97", "not open")] {
            let result = try MountCommand.run(MountCommand.ossfuseBinary.path,
                                              ["-f", server.bucket, path, "-o", "url=\(server.endpoint.absoluteString)"],
                                              environment: environment, timeout: 60)
            XCTAssertNotEqual(result.status, 0, result.description)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains(expected), result.stderr)
        }
    }

    /// `CapEff` of process `pid`, from /proc/PID/status.
    private static func effectiveCapabilities(_ pid: pid_t) throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let value = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) else {
            throw MountError("no CapEff in /proc/\(pid)/status")
        }
        return value
    }
}
