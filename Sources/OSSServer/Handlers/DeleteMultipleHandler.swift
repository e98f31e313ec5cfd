import Foundation
import OSSProtocol

/// DeleteMultipleObjects (oss-protocol.md 2.7): ≤ 1000 keys, optional Quiet, `encoding-type=url`,
/// Content-MD5 checked; absent keys count as deleted; a link is removed, never its target.
struct DeleteMultipleHandler: Sendable {
    let service: ServiceState
    static let maxKeys = 1000

    func delete(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let buffer = try await body.collect(limit: 4 << 20)
        let data = Data(buffer.readableBytesView)
        if let md5 = request.header("Content-MD5"), Data(base64Encoded: md5.trimmingCharacters(in: .whitespaces)) != Digest.md5(data) {
            throw ServerError.invalidDigest
        }
        guard let document = try? DeleteMultipleObjects.decode(data), !document.keys.isEmpty,
              document.keys.count <= Self.maxKeys else { throw ServerError.malformedXML }
        let encoding = request.queryValue("encoding-type") ?? request.header("encoding-type")
        // Request keys are plain XML text (SDKs do not URL-encode them); encoding-type only
        // affects the answer.
        var selected = document.keys
        if selected.count > 1, service.strictFaults.takePartialDelete() {
            // `--partial-delete-faults`: as OSS under pressure, only part of the batch goes.
            selected = Array(selected.prefix(selected.count / 2))
            service.stats.recordPartialDelete()
        }
        let keys = selected
        let storage = service.storage
        try await service.io {
            for key in keys where ObjectName.isValid(key) {
                if !request.isAuthenticated {
                    let existing = try storage.object(bucket: bucket.name, key: key)
                    try AccessPolicy.requireWrite(request, bucket: bucket, objectACL: existing?.acl)
                }
                try storage.deleteObject(bucket: bucket.name, key: key)
            }
        }
        let result = DeleteMultipleObjectsResult(deleted: document.quiet ? [] : keys)
        return .xml(result.xmlDocument(encodingType: encoding?.lowercased() == "url" ? "url" : nil))
    }
}
