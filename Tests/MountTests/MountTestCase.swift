import Foundation
import TestSupport
import XCTest

/// Base of the real-mount tests: a fresh `ossfuse-server` per test class, real `ossfuse` mounts,
/// unmodified programs. Skips only when the machine has no /dev/fuse.
class MountTestCase: XCTestCase {
    /// Server shared by the tests of one class (started on first use, stopped in `tearDown`).
    var server: TestServer!
    /// Mounts made by the current test; unmounted in `tearDown` whatever happened.
    private var mounts: [MountedBucket] = []
    /// Local scratch directory of the current test.
    var scratch: String!

    /// Server options of this class (e.g. a fault rate).
    var serverFaultRate: Double { 0 }
    /// More `ossfuse-server` arguments of this class (e.g. `--restore-delay`, `--clock-skew`).
    var serverArguments: [String] { [] }

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard FileManager.default.fileExists(atPath: "/dev/fuse") else {
            throw XCTSkip("/dev/fuse is absent: real FUSE mounts cannot run on this machine")
        }
        server = try TestServer.start(faultRate: serverFaultRate, arguments: serverArguments)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        scratch = dir.path
    }

    override func tearDownWithError() throws {
        for mount in mounts.reversed() { mount.unmount() }
        mounts.removeAll()
        server?.stop()
        server = nil
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
        try super.tearDownWithError()
    }

    /// Mounts the test bucket (optionally a prefix) with `options` besides `url=` (`endpoint`, by
    /// default the server's).
    func mount(prefix: String? = nil, options: [String] = [], arguments: [String] = [],
               endpoint: URL? = nil) throws -> MountedBucket {
        let mount = try MountedBucket(endpoint: endpoint ?? server.endpoint, bucket: server.bucket, prefix: prefix,
                                      accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret,
                                      options: options, extraArguments: arguments)
        mounts.append(mount)
        return mount
    }

    /// Runs `command` in the mount and fails the test (with its output) unless it succeeds.
    @discardableResult
    func sh(_ mount: MountedBucket, _ command: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try mount.run(command)
        XCTAssertEqual(result.status, 0, "`\(command)` failed: \(result)\nossfuse log:\n\(mount.log)", file: file, line: line)
        return result.stdout
    }

    /// Runs `command` in the local scratch directory; fails the test unless it succeeds.
    @discardableResult
    func local(_ command: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try MountCommand.shell(command, in: scratch)
        XCTAssertEqual(result.status, 0, "`\(command)` failed: \(result)", file: file, line: line)
        return result.stdout
    }

    /// Polls `condition` until it holds or `timeout` passes (for changes that become visible
    /// after a cache TTL); returns whether it held.
    func eventually(timeout: TimeInterval = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        repeat {
            if try condition() { return true }
            usleep(100_000)
        } while Date() < deadline
        return try condition()
    }

    /// Every key in the test bucket under `prefix`, listed by an SDK-side client.
    func keys(prefix: String = "") throws -> Set<String> {
        let client = try server.client()
        let page = try runBlocking { try await client.listObjects(prefix: prefix, delimiter: nil, continuationToken: nil, maxKeys: 1000) }
        return Set(page.contents.map(\.key))
    }

    /// The shell-quoted form of `text`.
    func q(_ text: String) -> String { MountCommand.quote(text) }
}

extension MountTestCase {
    /// Live ossfuse processes whose command line names `mountPoint` (background daemons).
    func daemons(servingMountPoint mountPoint: String) -> [pid_t] {
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

    /// Lazily unmounts `mountPoint` if it is still mounted and SIGKILLs any daemon serving it:
    /// for tearDown, so a failed test leaves nothing behind.
    func forceCleanUp(mountPoint: String) {
        if MountTable.isFuseMount(mountPoint) {
            _ = try? MountCommand.run("/bin/fusermount3", ["-u", "-z", mountPoint], timeout: 60)
        }
        for pid in daemons(servingMountPoint: mountPoint) { kill(pid, SIGKILL) }
    }

    /// `fusermount3 -u`, then wait (bounded) until no ossfuse process serves the mount point.
    func unmountAndWaitForDaemon(_ mountPoint: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try MountCommand.run("/bin/fusermount3", ["-u", mountPoint], timeout: 60)
        XCTAssertEqual(result.status, 0, result.description, file: file, line: line)
        XCTAssertTrue(eventually(timeout: 60) { daemons(servingMountPoint: mountPoint).isEmpty },
                      "ossfuse kept running after unmount", file: file, line: line)
        for pid in daemons(servingMountPoint: mountPoint) { kill(pid, SIGKILL) }
    }
}

/// Runs async client calls from a synchronous test.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Hands a task's result to the waiting test thread.
private final class BlockingResult<T: Sendable>: @unchecked Sendable {
    // @unchecked: written before `signal()`, read after `wait()`.
    var result: Result<T, Error>?
}

/// Base of the tests that run the `ossfuse` command by hand on their own mount point,
/// `scratch/mnt`, which is unmounted (lazily, if need be) after each test whatever happened.
class CommandMountTestCase: MountTestCase {
    var mountPoint: String { scratch + "/mnt" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if scratch != nil { forceCleanUp(mountPoint: mountPoint) }
        try super.tearDownWithError()
    }
}
