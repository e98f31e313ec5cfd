import Foundation
import Synchronization
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// Where a mount's log goes: `log_file=`, or syslog for a background mount without one; what is
/// in it (`-d`: one line per request; always: the file system's notes) and what never is (secrets).
final class LoggingTests: CommandMountTestCase {
    /// Mounts in the background (the command returns once the mount is live), runs `work` in it,
    /// unmounts and waits for the daemon to end.
    private func backgroundMount(_ arguments: [String], work: String) throws {
        let env = ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
        let result = try MountCommand.run(MountCommand.ossfuseBinary.path,
                                          arguments + [server.bucket, mountPoint, "-o", "url=\(server.endpoint.absoluteString)"],
                                          environment: env, timeout: 120)
        XCTAssertEqual(result.status, 0, result.description)
        XCTAssertEqual(result.stderr, "", "a background mount writes nothing to the terminal")
        let ran = try MountCommand.shell(work, in: mountPoint)
        XCTAssertEqual(ran.status, 0, ran.description)
        try unmountAndWaitForDaemon(mountPoint)
    }

    /// A key that is no POSIX name (a "." segment): listing its directory logs it once.
    private func putHiddenKey() async throws {
        try await server.client().putObject("odd/./name", body: .bytes(Data("x".utf8)), options: WriteOptions())
    }

    /// Requests of every kind, a hidden key, a multipart upload (with the options below) and a
    /// directory rename: every kind of note the file system logs but upload failures.
    private let work = """
        mkdir d && printf x > d/f && ln -s f d/l && ls -l d odd > /dev/null && cat d/l > /dev/null \
        && head -c 2M /dev/zero > big && mv d renamed
        """
    private let multipart = "multipart_threshold=1M,part_size=512K"

    func testDebugLogFileHasEveryRequestAndTheFileSystemsNotesAndNoSecret() async throws {
        try await putHiddenKey()
        let logFile = scratch + "/ossfuse.log"
        try backgroundMount(["-d", "-o", "log_file=\(logFile),\(multipart)"], work: work)
        let log = try String(contentsOfFile: logFile, encoding: .utf8)
        for operation in ["ListObjectsV2", "HeadObject", "PutObject", "PutSymlink", "GetObject"] {
            XCTAssertTrue(log.contains("debug: \(operation) key="), "\(operation) missing from the log:\n\(log)")
        }
        XCTAssertTrue(log.contains("key=\"d/f\" status=200 request-id="), log)
        XCTAssertNotNil(log.range(of: #"request-id=[0-9A-F]{24} [0-9.]+ms"#, options: .regularExpression), log)
        XCTAssertTrue(log.contains("info: mounted test from"), log)
        XCTAssertTrue(log.contains("info: hidden key (not a valid POSIX name): odd/./"), log)
        XCTAssertTrue(log.contains("info: unmounted"), log)
        XCTAssertFalse(log.contains(server.accessKeySecret), "the secret leaked into the log file")
        XCTAssertFalse(log.contains("Signature") || log.contains("Authorization"), "signatures leaked into the log file")
        XCTAssertEqual(attributes(logFile), 0o600, "the log file must not be readable by others")
    }

    func testWithoutDebugTheLogFileHasTheNotesButNoRequestLines() async throws {
        try await putHiddenKey()
        let logFile = scratch + "/ossfuse.log"
        try backgroundMount(["-o", "log_file=\(logFile),\(multipart)"], work: work)
        let log = try String(contentsOfFile: logFile, encoding: .utf8)
        XCTAssertTrue(log.contains("info: mounted") && log.contains("info: unmounted"), log)
        XCTAssertTrue(log.contains("info: hidden key (not a valid POSIX name): odd/./"), log)
        XCTAssertTrue(log.contains("info: upload big: 2097152 bytes, 4 parts"), log)
        XCTAssertTrue(log.contains("info: rename d/ -> renamed/: done, 3 keys"), log)
        XCTAssertFalse(log.contains("status="), "request lines without -d:\n\(log)")
        XCTAssertFalse(log.contains("debug:"), log)
    }

    /// A background mount without log_file= has no terminal: it logs to syslog (/dev/log). The
    /// test plays the syslog daemon when the machine has none, and otherwise reads what the
    /// machine's daemon stored (journald or a /var/log file).
    func testBackgroundMountWithoutLogFileLogsToSyslog() async throws {
        SyslogCapture.removeIfStale("/dev/log")
        guard !FileManager.default.fileExists(atPath: "/dev/log") else {
            try backgroundMount([], work: work)
            // The mount point is unique to this test run: its "mounted" line marks our messages.
            let marker = "mounted \(server.bucket) from \(server.endpoint.absoluteString) on \(mountPoint)"
            let stored = try waitForSystemLog(containing: marker)
            XCTAssertTrue(stored.contains(marker), "syslog daemon has no \(marker)")
            XCTAssertFalse(stored.contains(server.accessKeySecret), "the secret leaked into syslog")
            return
        }
        try await putHiddenKey()
        let syslog = try SyslogCapture(path: "/dev/log")
        defer { syslog.stop() }
        try backgroundMount(["-d"], work: work)
        let messages = syslog.stop()
        let ours = messages.filter { $0.contains(" ossfuse[") }
        // <31> is daemon.debug, <30> daemon.info.
        XCTAssertTrue(ours.contains { $0.hasPrefix("<31>") && $0.contains("PutSymlink key=\"d/l\" status=200") }, "\(ours)")
        XCTAssertTrue(ours.contains { $0.hasPrefix("<30>") && $0.contains("mounted test from") }, "\(ours)")
        XCTAssertTrue(ours.contains { $0.hasPrefix("<30>") && $0.contains("hidden key (not a valid POSIX name): odd/./") },
                      "\(ours)")
        XCTAssertFalse(messages.contains { $0.contains(server.accessKeySecret) }, "the secret leaked into syslog")
    }

    /// What the machine's syslog daemon stored, once it holds `marker` (bounded wait, no timing
    /// assertion): journald's entries tagged ossfuse, or the usual /var/log files.
    private func waitForSystemLog(containing marker: String) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        repeat {
            let journal = try? MountCommand.shell("journalctl -t ossfuse -o cat --no-pager 2>/dev/null | tail -n 2000", in: "/")
            text = journal?.stdout ?? ""
            for file in ["/var/log/syslog", "/var/log/daemon.log", "/var/log/messages", "/var/log/user.log"] {
                if let content = try? String(contentsOfFile: file, encoding: .utf8) { text += content }
            }
            if text.contains(marker) { break }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        return text
    }

    private func attributes(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int
    }
}

/// A stand-in syslog daemon: a datagram socket bound at `path`, drained by a thread (a full
/// queue would block the logging process in syslog(3)); removed by `stop()`.
final class SyslogCapture: @unchecked Sendable {
    // @unchecked: `fd` is closed once, by `stop()`.
    private let fd: Int32
    private let path: String
    private let state = Mutex((messages: [String](), stopped: false))
    private let finished = DispatchSemaphore(value: 0)

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw MountError("cannot create a datagram socket") }
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { close(fd); throw MountError("cannot bind \(path): errno \(errno)") }
        chmod(path, 0o666)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread { [self] in drain() }.start()
    }

    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        return address
    }

    /// Removes a socket left at `path` by a test that died before `stop()` (nobody receives on it).
    static func removeIfStale(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return }
        let probe = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard probe >= 0 else { return }
        defer { close(probe) }
        var address = address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected != 0 && errno == ECONNREFUSED { unlink(path) }
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while !state.withLock({ $0.stopped }) {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                state.withLock { $0.messages.append(text) }
            }
        }
        finished.signal()
    }

    /// Stops draining, removes the socket and returns every message received; safe to call twice.
    @discardableResult
    func stop() -> [String] {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first {
            finished.wait()
            close(fd)
            unlink(path)
        }
        return state.withLock { $0.messages }
    }
}
