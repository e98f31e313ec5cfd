import Foundation
import OSSProtocol

/// CopyObject (oss-protocol.md 2.8): COPY/REPLACE metadata, same-key metadata edit, forbid-overwrite,
/// source preconditions; a symlink source copies the link itself (1.5).
struct CopyObjectHandler: Sendable {
    let service: ServiceState

    func copy(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        let source = try CopySource(request.header("x-oss-copy-source") ?? "")
        let directive = (request.header("x-oss-metadata-directive") ?? "COPY").uppercased()
        guard directive == "COPY" || directive == "REPLACE" else {
            throw ServerError.invalidArgument("Invalid metadata directive.", name: "x-oss-metadata-directive", value: directive)
        }
        let attributes = try ObjectAttributes.parse(request)
        let forbid = ObjectAttributes.forbidsOverwrite(request)
        let sourceBucket = try service.bucket(source.bucket)
        let storage = service.storage
        if !request.isAuthenticated { _ = try await service.writableRecord(request, bucket: bucket, key: key) }
        let sameKey = source.bucket == bucket.name && source.key == key
        let header: @Sendable (String) -> String? = { request.header($0) }
        let explicitACL = request.header("x-oss-object-acl") != nil
        let explicitClass = request.header("x-oss-storage-class") != nil
        let refuseAppendable = service.configuration.strictness.refuseAppendableCopy
        let record = try await service.io {
            try storage.copyObject(sourceBucket: source.bucket, sourceKey: source.key, destinationBucket: bucket.name,
                                   destinationKey: key, forbidOverwrite: forbid && !sameKey) { src in
                try AccessPolicy.requireRead(request, bucket: sourceBucket, objectACL: src.acl)
                try Preconditions.check(header, prefix: "x-oss-copy-source-", etag: src.etag, lastModified: src.lastModified)
                if src.type == .appendable && (!sameKey || refuseAppendable) {
                    throw ServerError.invalidArgument("The source object is appendable and cannot be copied.", name: "x-oss-copy-source")
                }
                var record = src
                record.lastModifiedMillis = currentMillis()
                if directive == "REPLACE" || sameKey {
                    record.standardHeaders = attributes.standardHeaders
                    record.userMetadata = attributes.userMetadata
                }
                if sameKey {
                    if explicitACL { record.acl = attributes.acl }
                    if explicitClass { record.storageClass = attributes.storageClass }
                } else {
                    record.acl = attributes.acl
                    record.storageClass = attributes.storageClass
                }
                return record
            }
        }
        let result = CopyObjectResult(etag: record.etag, lastModified: record.lastModified)
        return .xml(result.xmlDocument(), headers: [("x-oss-hash-crc64ecma", String(record.crc64)), ("ETag", record.etag)])
    }
}
