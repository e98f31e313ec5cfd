import Foundation

extension OSSClient {
    /// PutSymlink: `target` is a key of the same bucket, sent percent-encoded in `x-oss-symlink-target`.
    /// `options.forbidOverwrite` makes an existing key fail with 409 `FileAlreadyExists`.
    public func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        try ObjectName.validate(target)
        var headers = try ResponseParsing.writeHeaders(options)
        headers.append(("x-oss-symlink-target", PercentEncoding.encodePath(target)))
        _ = try await send(Call(operation: "PutSymlink", method: "PUT", key: key, query: [("symlink", "")], headers: headers,
                                safety: options.forbidOverwrite ? .onlyIfNotApplied : .repeatable))
    }

    /// GetSymlink: the decoded target key and the link's own ETag, time and user metadata.
    public func getSymlink(_ key: String) async throws -> SymlinkInfo {
        let r = try await send(Call(operation: "GetSymlink", method: "GET", key: key, query: [("symlink", "")]))
        guard let raw = r.header("x-oss-symlink-target") else {
            throw TransportError(.other, "GetSymlink \(key): answer without x-oss-symlink-target")
        }
        return SymlinkInfo(target: PercentEncoding.decode(raw) ?? raw, etag: r.header("etag") ?? "",
                           lastModified: r.header("last-modified").flatMap(HTTPDate.parseRFC1123) ?? Date(timeIntervalSince1970: 0),
                           userMetadata: ResponseParsing.userMetadata(r))
    }
}
