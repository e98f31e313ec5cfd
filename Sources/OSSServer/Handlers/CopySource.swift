import OSSProtocol

/// The `x-oss-copy-source: /bucket/key[?versionId=…]` header, percent-decoded (SDKs encode the key,
/// oss2 even its `/` as `%2F`; oss-protocol.md 2.8).
struct CopySource: Sendable {
    var bucket: String
    var key: String

    init(_ header: String) throws {
        var text = Substring(header)
        if let mark = text.firstIndex(of: "?") { text = text[..<mark] }
        guard let decoded = PercentEncoding.decode(String(text)) else {
            throw ServerError.invalidArgument("Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.",
                                              name: "x-oss-copy-source", value: header)
        }
        var rest = Substring(decoded)
        if rest.hasPrefix("/") { rest = rest.dropFirst() }
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else {
            throw ServerError.invalidArgument("Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.",
                                              name: "x-oss-copy-source", value: header)
        }
        bucket = String(rest[..<slash])
        key = String(rest[rest.index(after: slash)...])
        guard ObjectName.isValid(key) else { throw ServerError.invalidObjectName(key) }
    }
}
