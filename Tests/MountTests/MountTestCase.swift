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

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard FileManager.default.fileExists(atPath: "/dev/fuse") else {
            throw XCTSkip("/dev/fuse is absent: real FUSE mounts cannot run on this machine")
        }
        server = try TestServer.start(faultRate: serverFaultRate)
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

    /// Mounts the test bucket (optionally a prefix) with `options` besides `url=`.
    func mount(prefix: String? = nil, options: [String] = [], arguments: [String] = []) throws -> MountedBucket {
        let mount = try MountedBucket(endpoint: server.endpoint, bucket: server.bucket, prefix: prefix,
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

    /// The shell-quoted form of `text`.
    func q(_ text: String) -> String { MountCommand.quote(text) }
}
