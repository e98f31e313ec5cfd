import Foundation
import NIOCore
import OSSProtocol

/// Multipart upload (oss-protocol.md 2.12): Initiate, UploadPart, UploadPartCopy, Abort, ListParts,
/// ListMultipartUploads. Complete is in `CompleteMultipartHandler`.
struct MultipartHandler: Sendable {
    let service: ServiceState
    static let partNumbers = 1...10_000

    func initiate(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        let attributes = try ObjectAttributes.parse(request)
        let storage = service.storage
        let existing = try await service.writableRecord(request, bucket: bucket, key: key)
        if ObjectAttributes.forbidsOverwrite(request) && existing != nil { throw ServerError.fileAlreadyExists }
        let upload = UploadRecord(uploadId: DataDirectory.newId().uppercased(), bucket: bucket.name, key: key,
                                  initiatedMillis: currentMillis(), acl: attributes.acl, storageClass: attributes.storageClass,
                                  standardHeaders: attributes.standardHeaders, userMetadata: attributes.userMetadata)
        try await service.io { try storage.createUpload(upload) }
        let result = InitiateMultipartUploadResult(bucket: bucket.name, key: key, uploadId: upload.uploadId)
        return .xml(result.xmlDocument(encodingType: Self.encoding(request)))
    }

    func uploadPart(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let (bucket, key, uploadId, number) = try await partTarget(request)
        try BodyReceiver.checkFraming(request)
        let written = try await BodyReceiver(service: service).receive(body, verifying: request)
        let part = try await commit(written, uploadId: uploadId, number: number, bucket: bucket.name, key: key)
        return ServerResponse(headers: [("ETag", part.etag), ("Content-MD5", (written.md5 ?? Data()).base64EncodedString()),
                                        ("x-oss-hash-crc64ecma", String(part.crc64))])
    }

    /// UploadPartCopy: a part from (a range of) an existing object; an invalid range copies it whole.
    func uploadPartCopy(_ request: RequestContext) async throws -> ServerResponse {
        let (bucket, key, uploadId, number) = try await partTarget(request)
        let source = try CopySource(request.header("x-oss-copy-source") ?? "")
        let sourceBucket = try service.bucket(source.bucket)
        let storage = service.storage
        let opened = try await service.io { try storage.openSource(bucket: source.bucket, key: source.key) }
        defer { opened.files.forEach { $0.close() } }
        let record = opened.record
        try AccessPolicy.requireRead(request, bucket: sourceBucket, objectACL: record.acl)
        guard record.type != .appendable, record.type != .symlink else {
            throw ServerError.invalidArgument("The source object cannot be copied as a part.", name: "x-oss-copy-source")
        }
        try Preconditions.check({ request.header($0) }, prefix: "x-oss-copy-source-", etag: record.etag, lastModified: record.lastModified)
        let range = (try? RangeSpec.resolve(request.header("x-oss-copy-source-range"), size: record.size, standard: true)) ?? nil
        let start = range?.lowerBound ?? 0
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? record.size
        let directory = storage.directory
        let files = opened.files
        let written = try await service.io { () throws -> WrittenData in
            let writer = try DataFileWriter(directory: directory)
            do {
                for file in files {
                    let from = max(start, file.offset)
                    let to = min(start + length, file.offset + file.size)
                    if from < to { try writer.copy(fd: file.fd, offset: from - file.offset, length: to - from) }
                }
                return try writer.finish()
            } catch {
                writer.abandon()
                throw error
            }
        }
        let part = try await commit(written, uploadId: uploadId, number: number, bucket: bucket.name, key: key)
        let result = CopyPartResult(etag: part.etag, lastModified: Date(timeIntervalSince1970: Double(part.lastModifiedMillis) / 1000))
        return .xml(result.xmlDocument(), headers: [("ETag", part.etag)])
    }

    func abort(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        try AccessPolicy.requireWrite(request, bucket: bucket, objectACL: nil)
        let key = request.key ?? ""
        let uploadId = request.queryValue("uploadId") ?? ""
        let storage = service.storage
        try await service.io { try storage.abortUpload(id: uploadId, bucket: bucket.name, key: key) }
        return ServerResponse(status: .noContent)
    }

    func listParts(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        try AccessPolicy.requireWrite(request, bucket: bucket, objectACL: nil)
        let key = request.key ?? ""
        let uploadId = request.queryValue("uploadId") ?? ""
        let maxParts = try Self.limit(request, "max-parts", default: 1000)
        let marker = Int(request.queryValue("part-number-marker") ?? "0") ?? 0
        let storage = service.storage
        _ = try await service.io { try storage.upload(id: uploadId, bucket: bucket.name, key: key) }
        let parts = try await service.io { try storage.parts(uploadId: uploadId, after: marker, limit: maxParts + 1) }
        let page = Array(parts.prefix(maxParts))
        let truncated = parts.count > maxParts
        let result = ListPartsResult(
            bucket: bucket.name, key: key, uploadId: uploadId, partNumberMarker: marker,
            nextPartNumberMarker: page.last?.number, maxParts: maxParts, isTruncated: truncated,
            parts: page.map { .init(number: $0.number, lastModified: Date(timeIntervalSince1970: Double($0.lastModifiedMillis) / 1000),
                                    etag: $0.etag, size: $0.size, crc64: $0.crc64) })
        return .xml(result.xmlDocument(encodingType: Self.encoding(request)))
    }

    func listUploads(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        if !request.isAuthenticated && !AccessPolicy.canRead(bucket.acl) { throw ServerError.accessDenied() }
        let prefix = request.queryValue("prefix") ?? ""
        let keyMarker = request.queryValue("key-marker") ?? ""
        let uploadIdMarker = request.queryValue("upload-id-marker") ?? ""
        let maxUploads = try Self.limit(request, "max-uploads", default: 1000)
        let storage = service.storage
        let name = bucket.name
        let all = try await service.io {
            try storage.uploads(bucket: name, keyMarker: keyMarker, uploadIdMarker: uploadIdMarker,
                                limit: 100_000)
        }
        let matching = all.filter { $0.key.hasPrefix(prefix) }
        let page = Array(matching.prefix(maxUploads))
        let truncated = matching.count > maxUploads
        let result = ListMultipartUploadsResult(
            bucket: name, prefix: prefix, delimiter: request.queryValue("delimiter"), keyMarker: keyMarker,
            uploadIdMarker: uploadIdMarker, nextKeyMarker: truncated ? page.last?.key : nil,
            nextUploadIdMarker: truncated ? page.last?.uploadId : nil, maxUploads: maxUploads, isTruncated: truncated,
            uploads: page.map { .init(key: $0.key, uploadId: $0.uploadId, initiated: Date(timeIntervalSince1970: Double($0.initiatedMillis) / 1000)) })
        return .xml(result.xmlDocument(encodingType: Self.encoding(request)))
    }

    // MARK: Helpers

    private func partTarget(_ request: RequestContext) async throws -> (BucketRecord, String, String, Int) {
        let bucket = try service.bucket(request.bucket)
        try AccessPolicy.requireWrite(request, bucket: bucket, objectACL: nil)
        let key = request.key ?? ""
        let text = request.queryValue("partNumber") ?? ""
        guard let number = Int(text), Self.partNumbers.contains(number) else {
            throw ServerError.invalidArgument("Part number must be an integer between 1 and 10000, inclusive.", name: "partNumber", value: text)
        }
        let uploadId = request.queryValue("uploadId") ?? ""
        let storage = service.storage
        _ = try await service.io { try storage.upload(id: uploadId, bucket: bucket.name, key: key) }
        return (bucket, key, uploadId, number)
    }

    private func commit(_ written: WrittenData, uploadId: String, number: Int, bucket: String, key: String) async throws -> PartRecord {
        let storage = service.storage
        return try await service.io {
            let dataId = try storage.install(written)
            let part = PartRecord(uploadId: uploadId, number: number, size: written.size,
                                  etag: Digest.etag(md5: written.md5 ?? Digest.md5(Data())),
                                  crc64: written.crc64, lastModifiedMillis: currentMillis(), dataId: dataId)
            try storage.commitPart(part, bucket: bucket, key: key)
            return part
        }
    }

    static func encoding(_ request: RequestContext) -> String? {
        request.queryValue("encoding-type")?.lowercased() == "url" ? "url" : nil
    }

    static func limit(_ request: RequestContext, _ name: String, default value: Int) throws -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let number = Int(text), (1...1000).contains(number) else {
            throw ServerError.invalidArgument("\(name) must be between 1 and 1000.", name: name, value: text)
        }
        return number
    }
}
