import Foundation

/// Reading object facts out of response headers, and writing request headers from `WriteOptions`.
enum ResponseParsing {
    static func metadata(_ r: HTTPResponse) -> ObjectMetadata {
        var metadata = ObjectMetadata(contentLength: r.header("content-length").flatMap { Int64($0) } ?? Int64(r.body.count),
                       etag: r.header("etag") ?? "",
                       lastModified: r.header("last-modified").flatMap(HTTPDate.parseRFC1123) ?? Date(timeIntervalSince1970: 0),
                       type: r.header("x-oss-object-type").flatMap(ObjectType.init(rawValue:)) ?? .normal,
                       contentType: r.header("content-type"),
                       storageClass: r.header("x-oss-storage-class") ?? "Standard",
                       crc64: r.header("x-oss-hash-crc64ecma").flatMap { UInt64($0) },
                       userMetadata: userMetadata(r),
                       nextAppendPosition: r.header("x-oss-next-append-position").flatMap { Int64($0) },
                       requestId: r.header("x-oss-request-id"))
        metadata.restore = RestoreStatus(header: r.header("x-oss-restore"))
        for name in ContentHeaders.names { metadata.contentHeaders[name] = r.header(name.lowercased()) }
        return metadata
    }

    static func userMetadata(_ r: HTTPResponse) -> [String: String] {
        var m: [String: String] = [:]
        for (n, v) in r.headers where n.hasPrefix("x-oss-meta-") { m[String(n.dropFirst(11))] = v }
        return m
    }

    /// Throws when the server's CRC-64 of the whole object differs from the bytes we sent/received.
    static func verifyCRC(_ r: HTTPResponse, computed: UInt64?, what: String) throws {
        guard let computed, let header = r.header("x-oss-hash-crc64ecma"), let server = UInt64(header) else { return }
        if server != computed {
            throw TransportError(.other, "CRC-64 mismatch on \(what): server has \(server), client computed \(computed)"
                                 + " [request id \(r.header("x-oss-request-id") ?? "")]")
        }
    }

    /// Headers of a write: Content-Type, `x-oss-meta-*`, `x-oss-forbid-overwrite`. Rejects metadata that
    /// cannot travel in an HTTP header (clear error, nothing sent).
    static func writeHeaders(_ o: WriteOptions) throws -> [(name: String, value: String)] {
        var h: [(name: String, value: String)] = []
        if let ct = o.contentType { h.append(("Content-Type", try headerValue(ct, field: "Content-Type"))) }
        for (name, value) in o.contentHeaders.sorted(by: { $0.key < $1.key }) where ContentHeaders.names.contains(name) {
            h.append((name, try headerValue(value, field: name)))
        }
        for (name, value) in o.userMetadata.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.utf8.allSatisfy({ isAlnum($0) || $0 == 0x2D }) else {
                throw rejected("user metadata name '\(name)' may only hold letters, digits and '-'")
            }
            h.append(("x-oss-meta-" + name.lowercased(), try headerValue(value, field: "x-oss-meta-\(name)")))
        }
        if o.forbidOverwrite { h.append(("x-oss-forbid-overwrite", "true")) }
        if let storageClass = o.storageClass { h.append(("x-oss-storage-class", try headerValue(storageClass, field: "x-oss-storage-class"))) }
        return h
    }

    static func headerValue(_ v: String, field: String) throws -> String {
        guard v.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
            throw rejected("\(field) value must be printable ASCII (encode it first)")
        }
        return v.trimmingHTTPWhitespace()
    }

    static func rejected(_ message: String) -> OSSError {
        OSSError(.invalidArgument, message: message + " (rejected by the client before sending)")
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
