import Foundation
import OSSProtocol

/// AppendObject (oss-protocol.md 2.9): strict position, 409 ObjectNotAppendable for Normal,
/// Multipart and Symlink objects, 409 PositionNotEqualToLength with the real length.
struct AppendObjectHandler: Sendable {
    let service: ServiceState

    func append(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        guard let text = request.queryValue("position"), let position = Int64(text), position >= 0 else {
            throw ServerError.invalidArgument("Position is invalid.", name: "position", value: request.queryValue("position"))
        }
        try BodyReceiver.checkFraming(request)
        let attributes = try ObjectAttributes.parse(request)
        let storage = service.storage
        let existing = try await service.writableRecord(request, bucket: bucket, key: key)
        if let existing, existing.type != .appendable { throw ServerError.objectNotAppendable }
        if let existing, existing.size != position { throw ServerError.positionNotEqualToLength(existing.size) }
        let written = try await BodyReceiver(service: service).receive(body, verifying: request)
        let name = bucket.name
        let record = try await service.io {
            try storage.append(bucket: name, key: key, position: position, received: written) { data in
                ObjectRecord(bucket: name, key: key, type: .appendable, size: data.size, etag: "", crc64: data.crc64,
                             contentMD5: nil, lastModifiedMillis: currentMillis(), acl: attributes.acl,
                             storageClass: attributes.storageClass, standardHeaders: attributes.standardHeaders,
                             userMetadata: attributes.userMetadata, dataId: nil, symlinkTarget: nil)
            }
        }
        return ServerResponse(headers: [("x-oss-next-append-position", String(record.size)),
                                        ("x-oss-hash-crc64ecma", String(record.crc64)), ("ETag", record.etag)])
    }
}
