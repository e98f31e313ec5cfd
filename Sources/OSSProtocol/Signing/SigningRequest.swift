/// What a signature covers, in decoded form: method, bucket, key, query items and headers.
/// The client builds one before sending; the server builds one from what it received and
/// recomputes the signature from it.
public struct SigningRequest: Sendable {
    /// HTTP method, upper case (`GET`, `PUT`, ...).
    public var method: String
    /// Bucket name, nil for service-level requests (ListBuckets).
    public var bucket: String?
    /// Decoded object key, nil or empty for bucket-level requests.
    public var key: String?
    /// Decoded query items in request order; a flag such as `?acl` has an empty value.
    public var query: [(name: String, value: String)]
    /// Request headers (names in any case).
    public var headers: [(name: String, value: String)]

    /// Creates a request description.
    public init(method: String, bucket: String?, key: String?,
                query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []) {
        self.method = method; self.bucket = bucket; self.key = key; self.query = query; self.headers = headers
    }

    /// The value of header `name` (case-insensitive); repeated headers are joined with `,`.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        let values = headers.filter { $0.name.lowercased() == lower }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// Sets header `name`, replacing any existing value(s).
    public mutating func setHeader(_ name: String, _ value: String) {
        let lower = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lower }
        headers.append((name, value))
    }

    /// The value of query item `name` (first occurrence).
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Headers grouped by lower-cased name with trimmed values, repeated values joined with `,`.
    func canonicalHeaderMap() -> [String: String] {
        var map: [String: String] = [:]
        for (n, v) in headers {
            let k = n.lowercased(), t = v.trimmingHTTPWhitespace()
            map[k] = map[k].map { $0 + "," + t } ?? t
        }
        return map
    }

    /// `/bucket/key`, `/bucket/` or `/` with the raw (decoded) key.
    var rawResourcePath: String {
        guard let bucket, !bucket.isEmpty else { return "/" }
        return "/" + bucket + "/" + (key ?? "")
    }
}
