import Foundation
@preconcurrency import Glibc

/// The `sd_notify(3)` protocol without libsystemd: one datagram (`READY=1`, `STOPPING=1`, …) to
/// the unix socket named by `$NOTIFY_SOCKET`, which systemd sets for a `Type=notify` service. A
/// name starting with `@` is in the abstract namespace. Without the variable nothing is sent.
struct SystemdNotify: Sendable {
    /// The socket path from the environment; nil when not started by systemd (or a test).
    let socketPath: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"] ?? ""
        socketPath = path.isEmpty ? nil : path
    }

    /// Sends `state` (e.g. "READY=1\nSTATUS=mounted"); returns false when it could not be sent
    /// (no socket configured, or the send failed). Never throws: readiness reporting must not
    /// stop a mount.
    @discardableResult
    func send(_ state: String) -> Bool {
        guard let socketPath else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
        return sent == bytes.count
    }
}
