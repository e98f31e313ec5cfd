import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A minimal scripted HTTP/1.1 responder on 127.0.0.1 for transport-level tests only (retries,
/// dropped connections, timeouts). Each request consumes the next action of the script; when the
/// script is exhausted, the last action repeats.
final class LoopbackResponder: Sendable {
    enum Action: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: Data = Data())
        /// Close the connection without answering.
        case drop
        /// Never answer (until the responder stops).
        case hang
    }

    struct Received: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
    }

    private struct State {
        var script: [Action]
        var received: [Received] = []
        var stopped = false
        var fds: [Int32] = []
    }

    private let state: Mutex<State>
    private let listener: Int32
    let port: Int

    init(_ script: [Action]) throws {
        state = Mutex(State(script: script))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var received: [Received] { state.withLock { $0.received } }

    func stop() {
        let fds = state.withLock { s -> [Int32] in s.stopped = true; return s.fds }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let c = accept(listener, nil, nil)
            if c < 0 { return }
            let ok = state.withLock { s -> Bool in
                if s.stopped { return false }
                s.fds.append(c)
                return true
            }
            if !ok { close(c); return }
            Thread { [self] in serve(c) }.start()
        }
    }

    private func nextAction(_ r: Received) -> Action {
        state.withLock { s in
            s.received.append(r)
            return s.script.count > 1 ? s.script.removeFirst() : s.script[0]
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = Data()
        while let request = readRequest(fd, &buffer) {
            switch nextAction(request) {
            case .drop: return
            case .hang:
                var b = [UInt8](repeating: 0, count: 1024)
                while recv(fd, &b, b.count, 0) > 0 {}
                return
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) X\r\n"
                for (n, v) in headers { head += "\(n): \(v)\r\n" }
                if request.method != "HEAD" || !headers.contains(where: { $0.0.lowercased() == "content-length" }) {
                    head += "Content-Length: \(request.method == "HEAD" ? 0 : body.count)\r\n"
                }
                head += "\r\n"
                var out = Data(head.utf8)
                if request.method != "HEAD" { out += body }
                if !sendAll(fd, out) { return }
            }
        }
    }

    private func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }

    private func readRequest(_ fd: Int32, _ buffer: inout Data) -> Received? {
        let sep = Data("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while buffer.range(of: sep) == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer.append(chunk, count: n)
        }
        let end = buffer.range(of: sep)!
        let lines = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        buffer = Data(buffer[end.upperBound...])
        let first = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            if let c = l.firstIndex(of: ":") {
                headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer.append(chunk, count: n)
        }
        let body = Data(buffer.prefix(length))
        buffer = Data(buffer.dropFirst(length))
        return Received(method: String(first.first ?? ""), target: first.count > 1 ? String(first[1]) : "", headers: headers, body: body)
    }
}
