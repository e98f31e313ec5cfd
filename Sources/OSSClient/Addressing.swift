import Foundation

/// How a request names its bucket.
public enum AddressingStyle: String, Sendable, CaseIterable {
    /// `https://BUCKET.HOST/KEY` (the only style Alibaba's own endpoints accept).
    case virtual
    /// `https://HOST/BUCKET/KEY` (IP addresses, `localhost`, some compatible servers).
    case path
    /// `https://HOST/KEY`: HOST is a custom domain bound to the bucket (CNAME). The signatures
    /// still name the bucket (V4 canonical URI `/BUCKET/KEY`, V1 resource `/BUCKET/KEY`).
    case cname
}

/// Turns (bucket, key, query) into a URL: virtual-hosted for real endpoints, path style for IP
/// addresses and `localhost` (the local server), unless a style is given.
struct Addressing: Sendable {
    let scheme: String
    let host: String
    let port: Int?
    let bucket: String
    let style: AddressingStyle

    init(endpoint: URL, bucket: String, style: AddressingStyle? = nil) throws {
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = endpoint.host, !host.isEmpty else {
            throw TransportError(.other, "endpoint \(endpoint) is not an http(s) URL with a host")
        }
        self.scheme = scheme; self.host = host; self.port = endpoint.port; self.bucket = bucket
        self.style = style ?? (Addressing.isIPOrLocal(host) ? .path : .virtual)
    }

    /// True for `HOST/BUCKET/KEY` URLs.
    var pathStyle: Bool { style == .path }

    static func isIPOrLocal(_ host: String) -> Bool {
        if host == "localhost" || host.contains(":") || host.hasPrefix("[") { return true }
        let parts = host.split(separator: ".")
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// `oss-cn-hangzhou.aliyuncs.com` / `oss-cn-hangzhou-internal.aliyuncs.com` → `cn-hangzhou`.
    static func region(fromHost host: String) -> String? {
        let h = host.lowercased()
        guard h.hasSuffix(".aliyuncs.com") else { return nil }
        let labels = h.split(separator: ".")
        guard let first = labels.first(where: { $0.hasPrefix("oss-") }) else { return nil }
        var r = String(first.dropFirst(4))
        if r.hasSuffix("-internal") { r = String(r.dropLast(9)) }
        if r.isEmpty || r == "internal" || r.hasPrefix("accelerate") { return nil }
        return r
    }

    /// The URL for `key` (nil: bucket-level) and encoded query items.
    func url(key: String?, query: [(name: String, value: String)]) -> String {
        var s = scheme + "://"
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[" + host + "]" : host
        s += style == .virtual ? bucket + "." + hostPart : hostPart
        if let port { s += ":" + String(port) }
        s += style == .path ? "/" + bucket + "/" : "/"
        if let key { s += PercentEncoding.encodePath(key) }
        if !query.isEmpty {
            s += "?" + query.map { $0.value.isEmpty ? PercentEncoding.encodeQuery($0.name)
                : PercentEncoding.encodeQuery($0.name) + "=" + PercentEncoding.encodeQuery($0.value) }
                .joined(separator: "&")
        }
        return s
    }
}
