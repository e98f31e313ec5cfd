import OSSProtocol

/// Finds the bucket and key a request addresses: a custom domain (`--cname HOST=BUCKET`: the whole
/// path is the key), virtual-hosted (`bucket.localhost:PORT`, `bucket.127.0.0.1.nip.io`: the first
/// Host label is an existing bucket and the rest is not an IP address) or path style (`/bucket/key`).
struct AddressResolver: Sendable {
    /// Returns (bucket, key); throws InvalidObjectName for an undecodable path or an invalid key.
    static func resolve(hostName: String, rawPath: String, cnames: [String: String] = [:],
                        bucketExists: (String) -> Bool) throws -> (bucket: String?, key: String?) {
        guard let path = PercentEncoding.decode(rawPath) else { throw ServerError.invalidObjectName(rawPath) }
        if let virtual = cnames[hostName] ?? virtualBucket(hostName, bucketExists: bucketExists) {
            let key = path.hasPrefix("/") ? String(path.dropFirst()) : path
            return (virtual, try validated(key))
        }
        var rest = Substring(path)
        if rest.hasPrefix("/") { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return (nil, nil) }
        guard let slash = rest.firstIndex(of: "/") else { return (String(rest), nil) }
        let bucket = String(rest[..<slash])
        let key = String(rest[rest.index(after: slash)...])
        return (bucket, try validated(key))
    }

    private static func validated(_ key: String) throws -> String? {
        if key.isEmpty { return nil }
        guard ObjectName.isValid(key) else { throw ServerError.invalidObjectName(key) }
        return key
    }

    private static func virtualBucket(_ host: String, bucketExists: (String) -> Bool) -> String? {
        guard !host.isEmpty, !isIPAddress(host), let dot = host.firstIndex(of: ".") else { return nil }
        let first = String(host[..<dot])
        let rest = String(host[host.index(after: dot)...])
        guard !rest.isEmpty, !isIPAddress(rest), bucketExists(first) else { return nil }
        return first
    }

    /// True for dotted-quad IPv4 and bracketed IPv6 literals.
    static func isIPAddress(_ host: String) -> Bool {
        if host.hasPrefix("[") || host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
        }
    }
}
