import NIOHTTP1
import OSSProtocol

/// One received request, parsed: method, decoded query items, headers, the addressed bucket and
/// key, and the operation it maps to.
struct RequestContext: Sendable {
    let head: HTTPRequestHead
    /// 24 upper-case hex characters, sent back as `x-oss-request-id`.
    let requestId: String
    let rawPath: String
    let rawQuery: String
    /// Decoded query items in request order (`?acl` has an empty value).
    let query: [(name: String, value: String)]
    /// Host header without the port.
    let hostName: String
    let remoteIsLoopback: Bool
    var bucket: String?
    var key: String?
    var operation: OSSOperation = .unsupported
    /// True once a signature was verified (the caller is the owner).
    var isAuthenticated = false

    init(head: HTTPRequestHead, remoteIsLoopback: Bool) {
        self.head = head
        self.remoteIsLoopback = remoteIsLoopback
        requestId = Self.makeRequestId()
        let uri = head.uri
        if let mark = uri.firstIndex(of: "?") {
            rawPath = String(uri[..<mark])
            rawQuery = String(uri[uri.index(after: mark)...])
        } else {
            rawPath = uri
            rawQuery = ""
        }
        query = PercentEncoding.parseQuery(rawQuery)
        let host = head.headers.first(name: "host") ?? ""
        hostName = Self.stripPort(host).lowercased()
    }

    var method: HTTPMethod { head.method }

    /// First value of header `name` (case-insensitive).
    func header(_ name: String) -> String? { head.headers.first(name: name) }

    /// Value of query item `name`, nil when absent.
    func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// True when query item `name` is present (as `name` or `name=`).
    func has(_ name: String) -> Bool { query.contains { $0.name == name } }

    /// The request as the signers see it.
    var signingRequest: SigningRequest {
        SigningRequest(method: head.method.rawValue, bucket: bucket, key: key, query: query,
                       headers: head.headers.map { ($0.name, $0.value) })
    }

    /// The `HostId` of error documents: the host that was addressed.
    var hostId: String { hostName.isEmpty ? "localhost" : hostName }

    private static func stripPort(_ host: String) -> String {
        if host.hasPrefix("[") {  // [v6]:port
            if let close = host.firstIndex(of: "]") { return String(host[...close]) }
            return host
        }
        if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon { return String(host[..<colon]) }
        return host
    }

    private static func makeRequestId() -> String {
        var generator = SystemRandomNumberGenerator()
        let a = UInt64.random(in: .min ... .max, using: &generator)
        let b = UInt32.random(in: .min ... .max, using: &generator)
        let hex = String(a, radix: 16, uppercase: true)
        let tail = String(b, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex + String(repeating: "0", count: 8 - tail.count) + tail
    }
}
