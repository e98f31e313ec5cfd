import Foundation
import TestSupport

/// A helper program a test runs beside the server (a metadata stub, a TLS terminator), stopped by
/// its own process id when the test ends.
final class HelperProcess: @unchecked Sendable {
    // @unchecked: one test drives it from one thread.
    let started: MountCommand.Started

    /// Starts `executable` and waits (bounded) until `ready(stdout)` holds.
    init(_ executable: String, _ arguments: [String], timeout: TimeInterval = 30,
         ready: (String) -> Bool) throws {
        started = try MountCommand.start(executable, arguments)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !ready(started.stdoutText) {
            guard started.process.isRunning, Date() < deadline else {
                stop()
                throw MountError("\(executable) did not start: \(started.result())")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    /// SIGTERM to this process only, then wait for it.
    func stop() {
        guard started.process.isRunning else { return }
        kill(started.process.processIdentifier, SIGTERM)
        started.process.waitUntilExit()
    }

    /// True once something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
