import Foundation

extension OSSClient {
    /// ListObjectsV2 (with `encoding-type=url`, so any key survives XML). Names come back decoded.
    public func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage {
        try await listObjects(prefix: prefix, delimiter: delimiter, startAfter: nil, continuationToken: continuationToken, maxKeys: maxKeys)
    }

    /// ListObjectsV2 with `start-after` as well.
    public func listObjects(prefix: String, delimiter: String?, startAfter: String?, continuationToken: String?,
                            maxKeys: Int) async throws -> ListObjectsPage {
        var q: [(name: String, value: String)] = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { q.append(("prefix", prefix)) }
        if let delimiter, !delimiter.isEmpty { q.append(("delimiter", delimiter)) }
        if let startAfter, !startAfter.isEmpty { q.append(("start-after", startAfter)) }
        if let continuationToken, !continuationToken.isEmpty { q.append(("continuation-token", continuationToken)) }
        let r = try await send(Call(operation: "ListObjectsV2", method: "GET", key: nil, query: q))
        do { return try ListObjectsPage.decode(r.body) } catch { throw undecodable("ListObjectsV2", r, error) }
    }

    /// ListParts of a multipart upload.
    public func listParts(_ key: String, uploadId: String, partNumberMarker: Int = 0, maxParts: Int = 1000) async throws -> ListPartsResult {
        var q: [(name: String, value: String)] = [("uploadId", uploadId), ("max-parts", String(maxParts)), ("encoding-type", "url")]
        if partNumberMarker > 0 { q.append(("part-number-marker", String(partNumberMarker))) }
        let r = try await send(Call(operation: "ListParts", method: "GET", key: key, query: q))
        do { return try ListPartsResult.decode(r.body) } catch { throw undecodable("ListParts", r, error) }
    }

    func undecodable(_ operation: String, _ r: HTTPResponse, _ error: Error) -> TransportError {
        TransportError(.other, "\(operation): cannot decode the answer (\(error)) [request id \(r.header("x-oss-request-id") ?? "")]")
    }
}
