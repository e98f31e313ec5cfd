import Foundation
import OSSProtocol

/// PutObjectACL / GetObjectACL (oss-protocol.md 2.10): a link's own ACL, never its target's.
struct ObjectACLHandler: Sendable {
    let service: ServiceState

    func put(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        guard let text = request.header("x-oss-object-acl") else {
            throw ServerError.invalidArgument("x-oss-object-acl is missing.", name: "x-oss-object-acl")
        }
        let acl = try ObjectAttributes.parseACL(text)
        let key = request.key ?? ""
        let storage = service.storage
        _ = try await service.io { try storage.updateObject(bucket: bucket.name, key: key) { $0.acl = acl } }
        return ServerResponse()
    }

    func get(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        let storage = service.storage
        guard let record = try await service.io({ try storage.object(bucket: bucket.name, key: key) }) else {
            throw ServerError.noSuchKey(key)
        }
        let policy = AccessControlPolicy(ownerId: BucketHandler.ownerId, ownerDisplayName: BucketHandler.ownerId, grant: record.acl)
        return .xml(policy.xmlDocument())
    }
}
