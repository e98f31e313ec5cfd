import Foundation
import TestSupport
import XCTest

/// What a service manager sees of `ossfuse -f`: `READY=1` on `$NOTIFY_SOCKET` once the mount is
/// live and `STOPPING=1` on SIGTERM (systemd `Type=notify`), and the memory budget derived from
/// the cgroup's `memory.max`, stated in the log.
final class SystemdAndCgroupMountTests: CommandMountTestCase {
    private var started: MountCommand.Started?
    private var notifySocket: Int32 = -1
    /// A cgroup this test made (removed once its process ended).
    private var cgroup: String?

    override func tearDownWithError() throws {
        if let started, started.process.isRunning {
            kill(started.process.processIdentifier, SIGKILL)
            started.process.waitUntilExit()
        }
        if notifySocket >= 0 { close(notifySocket) }
        if let cgroup { rmdir(cgroup) }
        try super.tearDownWithError()
    }

    /// Starts `ossfuse -f`; inside the cgroup directory `cgroup` when given (the shell moves
    /// itself there, then becomes ossfuse).
    private func start(options: [String] = [], environment extra: [String: String] = [:],
                       cgroup: String? = nil) throws -> MountCommand.Started {
        var environment = ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
        environment.merge(extra) { $1 }
        var arguments = ["-f", server.bucket, mountPoint,
                         "-o", (["url=\(server.endpoint.absoluteString)"] + options).joined(separator: ",")]
        var executable = MountCommand.ossfuseBinary.path
        if let cgroup {
            arguments = ["-c", #"echo $$ > "$0" && exec "$@""#, cgroup + "/cgroup.procs", executable] + arguments
            executable = "/bin/sh"
        }
        let process = try MountCommand.start(executable, arguments, environment: environment)
        started = process
        return process
    }

    /// A unix datagram socket bound at `path` (what systemd listens on), with a receive timeout.
    private func bindNotifySocket(_ path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        notifySocket = fd
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, String(cString: strerror(errno)))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, waiting while `process` runs (nil once it ended without sending one).
    private func nextMessage(while process: MountCommand.Started) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<120 {
            let count = recv(notifySocket, &buffer, buffer.count, 0)
            if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            if !process.process.isRunning { return nil }
        }
        return nil
    }

    func testReadyArrivesOnTheNotifySocketOnceTheMountIsLiveAndStoppingOnSigterm() throws {
        let socketPath = scratch + "/notify.sock"
        try bindNotifySocket(socketPath)
        let process = try start(environment: ["NOTIFY_SOCKET": socketPath])
        let ready = nextMessage(while: process)
        XCTAssertNotNil(ready, "no notification arrived: \(process.stderrText)")
        XCTAssertTrue(ready?.split(separator: "\n").contains("READY=1") ?? false, ready ?? "")
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), "READY=1 came before the mount was live")
        try "hello".write(toFile: mountPoint + "/after-ready.txt", atomically: false, encoding: .utf8)

        kill(process.process.processIdentifier, SIGTERM)
        let stopping = nextMessage(while: process)
        XCTAssertEqual(stopping, "STOPPING=1", process.stderrText)
        XCTAssertTrue(eventually(timeout: 120) { !process.process.isRunning }, "ossfuse kept running after SIGTERM")
        let result = process.result()
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertFalse(MountTable.isFuseMount(mountPoint))
        let client = try server.client()
        let stored = try runBlocking { try await client.getObject("after-ready.txt", range: nil) }
        XCTAssertEqual(String(decoding: stored, as: UTF8.self), "hello")
    }

    func testWithoutNotifySocketNothingIsSentAndTheMountWorks() throws {
        let process = try start()
        XCTAssertTrue(eventually { MountTable.isFuseMount(mountPoint) || !process.process.isRunning }, process.stderrText)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), process.stderrText)
        XCTAssertTrue(eventually { process.stderrText.contains("info: mounted ") }, process.stderrText)
        XCTAssertTrue(process.stderrText.contains("memory budget: "), process.stderrText)
    }

    /// A prepared cgroup directory (this host's memory controller is on cgroup v1, so a real v2
    /// child with `memory.max` cannot be made here): `OSSFUSE_CGROUP_ROOT` points ossfuse at it.
    func testTheBudgetIsHalfOfTheCgroupMemoryMaxAndIsLoggedAtStart() throws {
        let root = scratch + "/cgroup"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "268435456\n".write(toFile: root + "/memory.max", atomically: false, encoding: .utf8)  // 256 MiB
        let port = try TestServer.unusedPort()
        let process = try start(options: ["metrics=127.0.0.1:\(port)"], environment: ["OSSFUSE_CGROUP_ROOT": root])
        XCTAssertTrue(eventually { MountTable.isFuseMount(mountPoint) || !process.process.isRunning }, process.stderrText)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), process.stderrText)
        XCTAssertTrue(eventually { process.stderrText.contains("info: mounted ") }, process.stderrText)
        let log = process.stderrText
        XCTAssertTrue(log.contains("memory budget: 128 MiB (50% of the cgroup limit 256 MiB in \(root)/memory.max)"), log)
        // A quarter of the budget per open file's read-ahead, a quarter in 8 MiB staging loads.
        XCTAssertTrue(log.contains("read-ahead up to 32 MiB per open file, 4 ranged GETs of 8 MiB per file copied into staging"), log)
        let scrape = try MountCommand.run("/usr/bin/curl", ["-s", "-m", "30", "http://127.0.0.1:\(port)/metrics"], timeout: 60)
        XCTAssertTrue(scrape.stdout.contains("\nossfuse_memory_budget_bytes 134217728\n"), scrape.stdout)
        // The bounded mount still reads and writes a file larger than its read-ahead window.
        try local("head -c $((40 * 1024 * 1024)) /dev/urandom > big.bin")
        try local("cp big.bin \(q(mountPoint))/big.bin && cmp big.bin \(q(mountPoint))/big.bin")
        // A write into the middle copies the object into staging in bounded 8 MiB ranges first.
        let patch = "printf PATCH | dd of=%@ bs=1 seek=20000000 conv=notrunc status=none"
        try local(patch.replacingOccurrences(of: "%@", with: "big.bin") + " && "
                  + patch.replacingOccurrences(of: "%@", with: q(mountPoint + "/big.bin")))
        try local("cmp big.bin \(q(mountPoint))/big.bin")
        let client = try server.client()
        let stored = try runBlocking { try await client.getObject("big.bin", range: nil) }
        XCTAssertEqual(stored, try Data(contentsOf: URL(fileURLWithPath: scratch + "/big.bin")), "the patched object differs")
    }

    /// A real cgroup with a memory limit: v2's memory.max where the memory controller is on the
    /// unified hierarchy, else (this host: a hybrid layout) v1's memory.limit_in_bytes.
    func testARealCgroupMemoryLimitSetsTheBudget() throws {
        let v2 = "/sys/fs/cgroup/cgroup.controllers"
        let unifiedMemory = ((try? String(contentsOfFile: v2, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).contains("memory")
        let (base, file) = unifiedMemory ? ("/sys/fs/cgroup", "memory.max") : ("/sys/fs/cgroup/memory", "memory.limit_in_bytes")
        let directory = base + "/ossfuse-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(directory, 0o755) == 0 else {
            throw XCTSkip("cannot make a cgroup in \(base): \(String(cString: strerror(errno)))")
        }
        cgroup = directory
        try "536870912\n".write(toFile: directory + "/" + file, atomically: false, encoding: .utf8)  // 512 MiB
        let process = try start(cgroup: directory)
        XCTAssertTrue(eventually { MountTable.isFuseMount(mountPoint) || !process.process.isRunning }, process.stderrText)
        XCTAssertTrue(MountTable.isFuseMount(mountPoint), process.stderrText)
        XCTAssertTrue(eventually { process.stderrText.contains("info: mounted ") }, process.stderrText)
        let log = process.stderrText
        XCTAssertTrue(log.contains("memory budget: 256 MiB (50% of the cgroup limit 512 MiB in \(directory)/\(file))"), log)
        XCTAssertTrue(log.contains("read-ahead up to 64 MiB per open file, 8 ranged GETs of 8 MiB per file copied into staging"), log)
        // Within the limit, a file larger than the read-ahead window goes in and out intact.
        try local("head -c $((80 * 1024 * 1024)) /dev/urandom > big.bin")
        try local("cp big.bin \(q(mountPoint))/big.bin && cmp big.bin \(q(mountPoint))/big.bin")
        kill(process.process.processIdentifier, SIGTERM)
        XCTAssertTrue(eventually(timeout: 120) { !process.process.isRunning })
        XCTAssertEqual(process.result().status, 0, process.stderrText)
    }

    func testAnUnlimitedCgroupStatesNoBudget() throws {
        let root = scratch + "/cgroup"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "max\n".write(toFile: root + "/memory.max", atomically: false, encoding: .utf8)
        let process = try start(environment: ["OSSFUSE_CGROUP_ROOT": root])
        XCTAssertTrue(eventually { process.stderrText.contains("info: mounted ") || !process.process.isRunning }, process.stderrText)
        XCTAssertTrue(process.stderrText.contains("memory budget: none (no cgroup memory limit)"), process.stderrText)
    }
}
