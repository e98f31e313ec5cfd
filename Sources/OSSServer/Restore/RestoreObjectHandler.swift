import Foundation
import NIOHTTP1
import OSSProtocol

/// RestoreObject (`POST /key?restore`, optional `<RestoreRequest>` body): starts a restore of an
/// Archive, Cold Archive or Deep Cold Archive object that completes after `--restore-delay`.
/// 202 when a restore starts, 409 RestoreAlreadyInProgress while it runs, 200 once restored (the
/// expiry moves out), 400 OperationNotSupported for other classes, 404 NoSuchKey.
/// On a link the target is restored: its state decides reads through the link (UNCONFIRMED
/// whether OSS itself follows the link here; see docs/archive-objects.md).
struct RestoreObjectHandler: Sendable {
    let service: ServiceState

    func restore(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        let data = Data(try await body.collect(limit: 64 << 10).readableBytesView)
        let document: RestoreRequest
        do {
            document = data.isEmpty ? RestoreRequest() : try RestoreRequest.decode(data)
        } catch {
            throw ServerError.malformedXML
        }
        let object = try await restorable(request, bucket: bucket, key: key)
        guard RestoreStatus.needsRestore(object.storageClass) else { throw ServerError.restoreNotSupported }
        let (days, tier) = try RestoreRules.validate(document, storageClass: object.storageClass)
        let storage = service.storage
        let delay = Int64(service.configuration.restoreDelaySeconds * 1000)
        let outcome = try await service.io { try storage.requestRestore(object, days: days, tier: tier, delayMillis: delay) }
        var headers: [(name: String, value: String)] = []
        if let tier { headers.append(("x-oss-object-restore-priority", tier)) }
        switch outcome {
        case .started: return ServerResponse(status: .accepted, headers: headers)
        case .extended: return ServerResponse(status: .ok, headers: headers)
        case .inProgress: throw ServerError.restoreAlreadyInProgress
        }
    }

    /// The object to restore: the record at `key`, or a link's target. Writing there must be allowed.
    private func restorable(_ request: RequestContext, bucket: BucketRecord, key: String) async throws -> ObjectRecord {
        let storage = service.storage
        guard let record = try await service.writableRecord(request, bucket: bucket, key: key) else {
            throw ServerError.noSuchKey(key)
        }
        guard record.type == .symlink, let target = record.symlinkTarget else { return record }
        guard let followed = try await service.io({ try storage.object(bucket: bucket.name, key: target) }) else {
            throw ServerError.symlinkTargetNotExist
        }
        guard followed.type != .symlink else { throw ServerError.invalidTargetType }
        try AccessPolicy.requireWrite(request, bucket: bucket, objectACL: followed.acl)
        return followed
    }
}
