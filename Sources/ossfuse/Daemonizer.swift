import Foundation
@preconcurrency import Glibc

/// Where the mounting process says "the mount is live" or why it failed: a pipe to the waiting
/// parent after `Daemonizer.fork()`, or straight to stderr in the foreground.
final class ReadinessReporter: @unchecked Sendable {
    // @unchecked: used by the one thread that mounts; `fd` is closed once, under that thread.
    private var fd: Int32?
    private let isPipe: Bool

    /// Reports over the pipe to the parent.
    init(pipe fd: Int32) { self.fd = fd; self.isPipe = true }

    /// Reports errors to the terminal's stderr, even after stderr was sent to a log file.
    static func foreground() -> ReadinessReporter { ReadinessReporter(terminal: dup(2)) }

    private init(terminal fd: Int32) { self.fd = fd >= 0 ? fd : nil; self.isPipe = false }

    /// The mount is live.
    func ready() {
        guard let fd else { return }
        if isPipe { write(fd, "ok\n") }
        close(fd)
        self.fd = nil
    }

    /// The mount failed: one line for the user.
    func fail(_ message: String) {
        let line = "ossfuse: \(message)\n"
        if let fd {
            write(fd, line)
            close(fd)
            self.fd = nil
        } else {
            printToStandardError(line)
        }
    }

    private func write(_ fd: Int32, _ text: String) {
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}

/// Backgrounding without forking a threaded process: fork first (before any Swift task, thread
/// or curl handle exists); the child does all the work and reports over a pipe; the parent exits
/// 0 only when the child says the mount is live, else with the child's error line.
enum Daemonizer {
    /// Returns in the child (a new session leader); never returns in the parent.
    static func fork() -> ReadinessReporter {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            printToStandardError("ossfuse: cannot create a pipe: \(String(cString: strerror(errno)))\n")
            exit(1)
        }
        let pid = Glibc.fork()
        if pid < 0 {
            printToStandardError("ossfuse: cannot fork: \(String(cString: strerror(errno)))\n")
            exit(1)
        }
        if pid == 0 {
            close(fds[0])
            _ = setsid()
            redirect(0, to: "/dev/null", flags: O_RDONLY)
            redirect(1, to: "/dev/null", flags: O_WRONLY)
            closeInheritedDescriptors(keeping: fds[1])
            return ReadinessReporter(pipe: fds[1])
        }
        close(fds[1])
        waitForChild(pid, reading: fds[0])
    }

    private static func waitForChild(_ pid: pid_t, reading fd: Int32) -> Never {
        var report = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 { report.append(contentsOf: buffer[0..<count]); continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        let text = String(decoding: report, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text == "ok" { exit(0) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        if text.isEmpty {
            printToStandardError("ossfuse: the mount process ended before the mount was live (status \(status))\n")
        } else {
            printToStandardError(text + "\n")
        }
        exit(1)
    }

    /// Closes every descriptor above 2 but `keep`: whatever the starter left open (a supervisor's
    /// "child ended" socket, a pipe it reads to EOF) must not be held open by the daemon.
    private static func closeInheritedDescriptors(keeping keep: Int32) {
        var open: [Int32] = []
        if let dir = opendir("/proc/self/fd") {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if let fd = Int32(name) { open.append(fd) }
            }
            closedir(dir)
        }
        for fd in open where fd > 2 && fd != keep { close(fd) }
    }

    /// Points `target` (0, 1 or 2) at `path`.
    static func redirect(_ target: Int32, to path: String, flags: Int32) {
        let fd = open(path, flags | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        dup2(fd, target)
        close(fd)
    }

    /// Detaches the remaining standard stream once the mount is live: stderr goes to `logFile`
    /// (already there when given) or /dev/null; the working directory becomes /.
    static func detach(logFile: String?) {
        if logFile == nil { redirect(2, to: "/dev/null", flags: O_WRONLY) }
        _ = chdir("/")
    }
}
