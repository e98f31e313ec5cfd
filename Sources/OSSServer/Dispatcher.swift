/// Sends each operation to its handler.
struct Dispatcher: Sendable {
    let service: ServiceState

    func dispatch(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let buckets = BucketHandler(service: service)
        switch request.operation {
        case .listBuckets: return try await buckets.listBuckets(request)
        case .putBucket: return try await buckets.putBucket(request)
        case .deleteBucket: return try await buckets.deleteBucket(request)
        case .getBucketInfo: return try await buckets.info(request)
        case .getBucketLocation: return try await buckets.location(request)
        case .getBucketACL: return try await buckets.getACL(request)
        case .putBucketACL: return try await buckets.putACL(request)
        case .listObjects: return try await ListObjectsHandler(service: service).listV1(request)
        case .listObjectsV2: return try await ListObjectsHandler(service: service).listV2(request)
        case .getObject, .headObject: return try await GetObjectHandler(service: service).get(request)
        case .getObjectMeta: return try await GetObjectHandler(service: service).meta(request)
        case .putObject: return try await PutObjectHandler(service: service).put(request, body: body)
        case .deleteObject: return try await PutObjectHandler(service: service).delete(request)
        case .putSymlink: return try await SymlinkHandler(service: service).put(request)
        case .getSymlink: return try await SymlinkHandler(service: service).get(request)
        case .putObjectACL: return try await ObjectACLHandler(service: service).put(request)
        case .getObjectACL: return try await ObjectACLHandler(service: service).get(request)
        case .copyObject: return try await CopyObjectHandler(service: service).copy(request)
        case .appendObject: return try await AppendObjectHandler(service: service).append(request, body: body)
        case .deleteMultipleObjects: return try await DeleteMultipleHandler(service: service).delete(request, body: body)
        case .initiateMultipartUpload: return try await MultipartHandler(service: service).initiate(request)
        case .uploadPart: return try await MultipartHandler(service: service).uploadPart(request, body: body)
        case .uploadPartCopy: return try await MultipartHandler(service: service).uploadPartCopy(request)
        case .completeMultipartUpload: return try await CompleteMultipartHandler(service: service).complete(request, body: body)
        case .abortMultipartUpload: return try await MultipartHandler(service: service).abort(request)
        case .listParts: return try await MultipartHandler(service: service).listParts(request)
        case .listMultipartUploads: return try await MultipartHandler(service: service).listUploads(request)
        case .restoreObject: return try await RestoreObjectHandler(service: service).restore(request, body: body)
        case .unsupported:
            throw ServerError.notImplemented
        }
    }
}
