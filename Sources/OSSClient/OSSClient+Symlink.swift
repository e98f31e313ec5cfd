import Foundation

extension OSSClient {
    /// PutSymlink: `target` is a key of the same bucket, sent percent-encoded in `x-oss-symlink-target`.
    /// `options.forbidOverwrite` makes an existing key fail with 409 `FileAlreadyExists`; a lost answer is
    /// then retried, and a 409 to the retry counts as success when the link there has this target (and
    /// every user metadata value sent).
    public func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        try ObjectName.validate(target)
        var headers = try ResponseParsing.writeHeaders(options)
        headers.append(("x-oss-symlink-target", PercentEncoding.encodePath(target)))
        let call = Call(operation: "PutSymlink", method: "PUT", key: key, query: [("symlink", "")], headers: headers,
                        safety: options.forbidOverwrite ? .verifiableCreate : .repeatable)
        try await sendCreate(call, answered: { _ in () }, ownResult: {
            // A 409 to a retry after a lost answer: the link there is ours if it says what we sent.
            let info = try await getSymlink(key)
            guard info.target == target,
                  options.userMetadata.allSatisfy({ info.userMetadata[$0.key] == $0.value }) else { return nil }
            return ()
        })
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
