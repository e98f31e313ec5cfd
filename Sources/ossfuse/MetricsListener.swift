import FUSEBinding
import Foundation
@preconcurrency import Glibc

/// `-o metrics=HOST:PORT`: a plain HTTP/1.1 listener on a thread of its own, one connection at a
/// time (scrapes are rare and small). `GET /metrics` answers `MountMetrics` in the Prometheus text
/// format; `GET /health` answers 200 when `health` (a cheap real OSS request with the current
/// credentials) succeeds, 503 with the reason otherwise.
final class MetricsListener: Sendable {
    private let fd: Int32
    private let metrics: MountMetrics
    private let health: @Sendable () -> String?

    /// Binds and listens at once (a taken port fails the mount); serves nothing until `start()`.
    /// `health` returns nil when healthy, else why not.
    init(_ address: MetricsAddress, metrics: MountMetrics, health: @escaping @Sendable () -> String?) throws(MountSettingsError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MountSettingsError("metrics: cannot create a socket: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = address.port.bigEndian
        socketAddress.sin_addr = address.host
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw MountSettingsError("metrics: cannot listen on \(address): \(reason)")
        }
        self.fd = fd
        self.metrics = metrics
        self.health = health
    }

    /// Starts answering on a dedicated thread (never Swift's cooperative pool: `health` blocks).
    func start() {
        let thread = Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // a credential_process child must not inherit it
                serve(client)
                close(client)
            }
        }
        thread.name = "metrics"
        thread.start()
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let requestLine = Self.readRequestLine(client) else { return }
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2, parts[0] == "GET" else { return respond(client, 405, "only GET\n") }
        switch parts[1].split(separator: "?").first.map(String.init) ?? "" {
        case "/metrics": respond(client, 200, metrics.render(), type: "text/plain; version=0.0.4; charset=utf-8")
        case "/health":
            if let problem = health() { respond(client, 503, "unhealthy: \(problem)\n") } else { respond(client, 200, "ok\n") }
        default: respond(client, 404, "not found: /metrics or /health\n")
        }
    }

    /// The request's first line, once the whole header arrived (at most 8 KiB).
    private static func readRequestLine(_ client: Int32) -> String? {
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 2048)
        while received.count < 8192 {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            received += chunk[..<count]
            let text = String(decoding: received, as: UTF8.self)
            if text.contains("\r\n\r\n") || text.contains("\n\n") {
                return text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }).first.map(String.init)
            }
        }
        return nil
    }

    private func respond(_ client: Int32, _ status: Int, _ body: String, type: String = "text/plain; charset=utf-8") {
        let reason = [200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"][status] ?? ""
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        let message = Array(head.utf8) + bytes
        var sent = 0
        while sent < message.count {
            let count = message[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }
}

/// `HOST:PORT` of `-o metrics=`: an IPv4 address (or `localhost`) and a port.
struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    var host: in_addr
    var port: UInt16
    var description: String

    /// Parses `127.0.0.1:9100`, `0.0.0.0:9100`, `localhost:9100`.
    init(_ text: String) throws(MountSettingsError) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0 else {
            throw MountSettingsError("metrics must be HOST:PORT (e.g. 127.0.0.1:9100), not '\(text)'")
        }
        var hostName = String(text[..<colon])
        if hostName == "localhost" { hostName = "127.0.0.1" }
        var address = in_addr()
        guard inet_pton(AF_INET, hostName, &address) == 1 else {
            throw MountSettingsError("metrics host must be an IPv4 address or localhost, not '\(text[..<colon])'")
        }
        self.host = address
        self.port = port
        self.description = text
    }

    static func == (a: MetricsAddress, b: MetricsAddress) -> Bool { a.description == b.description }
}
