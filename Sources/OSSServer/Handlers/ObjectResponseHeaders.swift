import Foundation
import OSSProtocol

/// The headers GET/HEAD answer with. For a symlink `meta` is the link and `content` its target
/// (oss-protocol.md 1.4): length/ETag/CRC/Content-MD5 from the target, Last-Modified the later of
/// the two, everything else (type Symlink, standard headers, user metadata, storage class) from the link.
enum ObjectResponseHeaders {
    static func build(meta: ObjectRecord, content: ObjectRecord) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        let lastModified = max(meta.lastModifiedMillis, content.lastModifiedMillis)
        headers.append(("Content-Type", meta.standardHeaders["Content-Type"] ?? "application/octet-stream"))
        for name in ObjectAttributes.standardHeaderNames where name != "Content-Type" {
            if let value = meta.standardHeaders[name] { headers.append((name, value)) }
        }
        headers.append(("ETag", content.etag))
        headers.append(("Last-Modified", HTTPDate.rfc1123(Date(timeIntervalSince1970: Double(lastModified) / 1000))))
        headers.append(("Accept-Ranges", "bytes"))
        headers.append(("x-oss-object-type", meta.type.rawValue))
        headers.append(("x-oss-storage-class", meta.storageClass))
        headers.append(("x-oss-hash-crc64ecma", String(content.crc64)))
        if let md5 = content.contentMD5, content.type == .normal { headers.append(("Content-MD5", md5)) }
        if meta.type == .appendable { headers.append(("x-oss-next-append-position", String(meta.size))) }
        for (name, value) in meta.userMetadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-oss-meta-" + name, value))
        }
        return headers
    }

    /// Last-Modified (link and target: the later one).
    static func lastModified(meta: ObjectRecord, content: ObjectRecord) -> Date {
        Date(timeIntervalSince1970: Double(max(meta.lastModifiedMillis, content.lastModifiedMillis)) / 1000)
    }

    /// `response-*` query overrides (honoured for signed requests only, oss-protocol.md 2.5).
    static let overrides = [
        ("response-content-type", "Content-Type"), ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"), ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"),
    ]

    static func applyOverrides(_ headers: inout [(name: String, value: String)], request: RequestContext) {
        guard request.isAuthenticated else { return }
        for (query, header) in overrides {
            guard let value = request.queryValue(query) else { continue }
            headers.removeAll { $0.name == header }
            headers.append((header, value))
        }
    }
}
