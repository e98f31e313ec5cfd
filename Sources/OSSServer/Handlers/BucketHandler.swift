import Foundation
import OSSProtocol

/// Service and bucket operations: ListBuckets, PutBucket, DeleteBucket, GetBucketInfo,
/// GetBucketLocation, Put/GetBucketACL (oss-protocol.md 2.13).
struct BucketHandler: Sendable {
    let service: ServiceState
    /// The owner reported in ACL and listing documents.
    static let ownerId = "1234567890123456"

    private var location: String { "oss-" + service.configuration.region }
    private var extranet: String { "\(location).aliyuncs.com" }
    private var intranet: String { "\(location)-internal.aliyuncs.com" }

    func listBuckets(_ request: RequestContext) async throws -> ServerResponse {
        let prefix = request.queryValue("prefix") ?? ""
        let buckets = service.storage.buckets().filter { $0.name.hasPrefix(prefix) }.map {
            ListAllMyBucketsResult.Bucket(name: $0.name, creationDate: Self.date($0.createdMillis), location: location,
                                          extranetEndpoint: extranet, intranetEndpoint: intranet)
        }
        let result = ListAllMyBucketsResult(ownerId: Self.ownerId, ownerDisplayName: Self.ownerId, buckets: buckets)
        return .xml(result.xmlDocument())
    }

    func putBucket(_ request: RequestContext) async throws -> ServerResponse {
        let name = request.bucket ?? ""
        guard BucketName.isValid(name) else { throw ServerError.invalidBucketName(name) }
        let acl = try request.header("x-oss-acl").map(ObjectAttributes.parseACL) ?? .private
        let storage = service.storage
        let created = try await service.io { try storage.createBucket(name, acl: acl) }
        if !created, let acl = request.header("x-oss-acl") {
            let parsed = try ObjectAttributes.parseACL(acl)
            try await service.io { try storage.setBucketACL(name, parsed) }
        }
        return ServerResponse(headers: [("Location", "/" + name)])
    }

    func deleteBucket(_ request: RequestContext) async throws -> ServerResponse {
        let name = request.bucket ?? ""
        let storage = service.storage
        try await service.io { try storage.deleteBucket(name) }
        return ServerResponse(status: .noContent)
    }

    func info(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let info = BucketInfo(name: bucket.name, location: location, creationDate: Self.date(bucket.createdMillis),
                              extranetEndpoint: extranet, intranetEndpoint: intranet, acl: bucket.acl,
                              ownerId: Self.ownerId, ownerDisplayName: Self.ownerId)
        return .xml(info.xmlDocument())
    }

    func location(_ request: RequestContext) async throws -> ServerResponse {
        _ = try service.bucket(request.bucket)
        return .xml(LocationConstraint(location: location).xmlDocument())
    }

    func getACL(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        return .xml(AccessControlPolicy(ownerId: Self.ownerId, ownerDisplayName: Self.ownerId, grant: bucket.acl).xmlDocument())
    }

    func putACL(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        guard let text = request.header("x-oss-acl") else { throw ServerError.invalidArgument("x-oss-acl is missing.") }
        let acl = try ObjectAttributes.parseACL(text)
        guard acl != .default else { throw ServerError.invalidArgument("no such bucket access control exists", name: "x-oss-acl", value: text) }
        let storage = service.storage
        try await service.io { try storage.setBucketACL(bucket.name, acl) }
        return ServerResponse()
    }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
