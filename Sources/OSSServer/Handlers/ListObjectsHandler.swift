import Foundation
import OSSProtocol

/// ListObjects (V1) and ListObjectsV2 (oss-protocol.md 2.11), served from the key index.
struct ListObjectsHandler: Sendable {
    let service: ServiceState

    func listV1(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try readableBucket(request)
        let params = try Parameters(request)
        let marker = request.queryValue("marker") ?? ""
        try checkLength(marker, name: "marker")
        let result = try await list(bucket.name, params, after: marker.isEmpty ? nil : marker)
        let page = ListObjectsV1Page(
            bucket: bucket.name, prefix: params.prefix, marker: marker, delimiter: params.delimiter, maxKeys: params.maxKeys,
            isTruncated: result.isTruncated, nextMarker: result.isTruncated ? result.nextMarker : nil,
            contents: result.entries.map(Self.summary), commonPrefixes: result.commonPrefixes)
        return .xml(page.xmlDocument(encodingType: params.encodingType))
    }

    func listV2(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try readableBucket(request)
        let params = try Parameters(request)
        let token = request.queryValue("continuation-token").flatMap { $0.isEmpty ? nil : $0 }
        let startAfter = request.queryValue("start-after").flatMap { $0.isEmpty ? nil : $0 }
        if let startAfter { try checkLength(startAfter, name: "start-after") }
        var after = startAfter
        if let token {
            guard let key = Self.decodeToken(token) else {
                throw ServerError.invalidArgument("The continuation token provided is incorrect.", name: "continuation-token", value: token)
            }
            after = key
        }
        let result = try await list(bucket.name, params, after: after)
        let page = ListObjectsPage(
            bucket: bucket.name, prefix: params.prefix, delimiter: params.delimiter, startAfter: startAfter,
            continuationToken: token, maxKeys: params.maxKeys, isTruncated: result.isTruncated,
            nextContinuationToken: result.isTruncated ? result.nextMarker.map(Self.encodeToken) : nil,
            contents: result.entries.map(Self.summary), commonPrefixes: result.commonPrefixes)
        return .xml(page.xmlDocument(encodingType: params.encodingType))
    }

    /// The parameters V1 and V2 share.
    struct Parameters {
        var prefix: String
        var delimiter: String?
        var maxKeys: Int
        var encodingType: String?

        init(_ request: RequestContext) throws {
            prefix = request.queryValue("prefix") ?? ""
            let delimiter = request.queryValue("delimiter") ?? ""
            self.delimiter = delimiter.isEmpty ? nil : delimiter
            if let text = request.queryValue("max-keys") {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw ServerError.invalidArgument("Argument max-keys must be an integer between 1 and 1000.", name: "max-keys", value: text)
                }
                maxKeys = value
            } else {
                maxKeys = 100
            }
            let encoding = request.queryValue("encoding-type")
            if let encoding, encoding.lowercased() != "url" {
                throw ServerError.invalidArgument("The encoding-type must be url.", name: "encoding-type", value: encoding)
            }
            encodingType = encoding.map { _ in "url" }
            guard prefix.utf8.count < 1024 else {
                throw ServerError.invalidArgument("The prefix is too long.", name: "prefix", value: prefix)
            }
        }
    }

    private func readableBucket(_ request: RequestContext) throws -> BucketRecord {
        let bucket = try service.bucket(request.bucket)
        if !request.isAuthenticated && !AccessPolicy.canRead(bucket.acl) { throw ServerError.accessDenied() }
        return bucket
    }

    private func checkLength(_ value: String, name: String) throws {
        guard value.utf8.count < 1024 else { throw ServerError.invalidArgument("The \(name) is too long.", name: name, value: value) }
    }

    private func list(_ bucket: String, _ params: Parameters, after: String?) async throws -> ListingResult {
        let storage = service.storage
        let query = ListingQuery(prefix: params.prefix, delimiter: params.delimiter ?? "", after: after, maxKeys: params.maxKeys)
        return try await service.io { try storage.list(bucket: bucket, query) }
    }

    static func summary(_ entry: ListingEntry) -> ObjectSummary {
        ObjectSummary(key: entry.key, lastModified: Date(timeIntervalSince1970: Double(entry.lastModifiedMillis) / 1000),
                      etag: entry.etag, size: entry.size, type: entry.type, storageClass: entry.storageClass)
    }

    /// Continuation tokens are the hex of the last returned name: opaque, and safe in any encoding.
    static func encodeToken(_ key: String) -> String { key.utf8.map { String(format: "%02x", $0) }.joined() }

    static func decodeToken(_ token: String) -> String? {
        let chars = Array(token.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            i += 2
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
