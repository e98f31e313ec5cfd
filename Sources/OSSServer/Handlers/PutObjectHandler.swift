import Foundation
import OSSProtocol

/// PutObject (oss-protocol.md 2.4) and DeleteObject (2.7).
struct PutObjectHandler: Sendable {
    let service: ServiceState

    func put(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        try BodyReceiver.checkFraming(request)
        let attributes = try ObjectAttributes.parse(request)
        let forbid = ObjectAttributes.forbidsOverwrite(request)
        let storage = service.storage
        let existing = try await service.writableRecord(request, bucket: bucket, key: key)
        if forbid && existing != nil { throw ServerError.fileAlreadyExists }
        let written = try await BodyReceiver(service: service).receive(body, verifying: request)
        let md5 = written.md5 ?? Data()
        let record = try await service.io { () throws -> ObjectRecord in
            let dataId = try storage.install(written)
            let record = ObjectRecord(
                bucket: bucket.name, key: key, type: .normal, size: written.size,
                etag: Digest.etag(md5: md5), crc64: written.crc64,
                contentMD5: md5.base64EncodedString(), lastModifiedMillis: currentMillis(), acl: attributes.acl,
                storageClass: attributes.storageClass, standardHeaders: attributes.standardHeaders,
                userMetadata: attributes.userMetadata, dataId: dataId, symlinkTarget: nil)
            try storage.commitObject(record, forbidOverwrite: forbid)
            return record
        }
        return ServerResponse(headers: [("ETag", record.etag), ("Content-MD5", record.contentMD5 ?? ""),
                                        ("x-oss-hash-crc64ecma", String(record.crc64))])
    }

    /// DeleteObject: 204 whether or not the key existed; a link is removed, never its target.
    func delete(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        let storage = service.storage
        if !request.isAuthenticated { _ = try await service.writableRecord(request, bucket: bucket, key: key) }
        try await service.io { try storage.deleteObject(bucket: bucket.name, key: key) }
        return ServerResponse(status: .noContent)
    }
}
