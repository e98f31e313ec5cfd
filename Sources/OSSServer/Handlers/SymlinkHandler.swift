import Foundation
import OSSProtocol

/// PutSymlink and GetSymlink (oss-protocol.md 1.2, 1.3).
struct SymlinkHandler: Sendable {
    let service: ServiceState

    /// PutSymlink: stores the `%XX`-decoded target (no checks on it) with the link's own ACL,
    /// storage class, standard headers and user metadata.
    func put(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        guard let raw = request.header("x-oss-symlink-target") else { throw ServerError.missingArgument }
        guard let target = PercentEncoding.decode(raw), ObjectName.isValid(target) else {
            throw ServerError.invalidObjectName(raw)
        }
        let attributes = try ObjectAttributes.parse(request)
        let forbid = ObjectAttributes.forbidsOverwrite(request)
        let storage = service.storage
        let existing = try await service.writableRecord(request, bucket: bucket, key: key)
        if forbid && existing != nil { throw ServerError.fileAlreadyExists }
        let bytes = Array(target.utf8)
        let record = ObjectRecord(
            bucket: bucket.name, key: key, type: .symlink, size: Int64(bytes.count),
            etag: Digest.etag(Data(bytes)), crc64: CRC64.checksum(bytes),
            contentMD5: nil, lastModifiedMillis: currentMillis(), acl: attributes.acl, storageClass: attributes.storageClass,
            standardHeaders: attributes.standardHeaders, userMetadata: attributes.userMetadata, dataId: nil, symlinkTarget: target)
        try await service.io { try storage.commitObject(record, forbidOverwrite: forbid) }
        return ServerResponse(headers: [("ETag", record.etag)])
    }

    /// GetSymlink: the target percent-encoded (`/` kept), the link's ETag, Last-Modified and metadata.
    func get(_ request: RequestContext) async throws -> ServerResponse {
        let (_, record) = try await service.readableRecord(request)
        guard record.type == .symlink, let target = record.symlinkTarget else { throw ServerError.notSymlink }
        var headers: [(name: String, value: String)] = [
            ("x-oss-symlink-target", PercentEncoding.encodePath(target)), ("ETag", record.etag),
            ("Last-Modified", HTTPDate.rfc1123(record.lastModified)),
        ]
        if let type = record.standardHeaders["Content-Type"] { headers.append(("Content-Type", type)) }
        for (name, value) in record.userMetadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-oss-meta-" + name, value)) }
        return ServerResponse(headers: headers)
    }
}
