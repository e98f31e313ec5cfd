import Foundation
import OSSProtocol

/// CompleteMultipartUpload (oss-protocol.md 2.12): parts strictly ascending, each known with a
/// matching ETag, every part but the last ≥ 100 KiB, or `x-oss-complete-all: yes` with no body.
/// The object's ETag is S3-style: MD5 of the parts' binary MD5s, then `-<count>`.
struct CompleteMultipartHandler: Sendable {
    let service: ServiceState
    static let minimumPartSize: Int64 = 100 * 1024

    func complete(_ request: RequestContext, body: RequestStream) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let key = request.key ?? ""
        let uploadId = request.queryValue("uploadId") ?? ""
        let storage = service.storage
        let existing = try await service.writableRecord(request, bucket: bucket, key: key)
        let upload = try await service.io { try storage.upload(id: uploadId, bucket: bucket.name, key: key) }
        let stored = try await service.io { try storage.parts(uploadId: uploadId) }
        let data = Data(try await body.collect(limit: 4 << 20).readableBytesView)
        let chosen: [PartRecord]
        if request.header("x-oss-complete-all")?.lowercased() == "yes" {
            guard data.isEmpty else {
                throw ServerError.invalidArgument("x-oss-complete-all is set, the request body must be empty.", name: "x-oss-complete-all")
            }
            chosen = stored
        } else {
            if let md5 = request.header("Content-MD5"), Data(base64Encoded: md5.trimmingCharacters(in: .whitespaces)) != Digest.md5(data) {
                throw ServerError.invalidDigest
            }
            guard let document = try? CompleteMultipartUpload.decode(data), !document.parts.isEmpty else {
                throw ServerError.malformedXML
            }
            chosen = try Self.select(document.parts, from: stored)
        }
        guard !chosen.isEmpty else { throw ServerError.invalidPart }
        for part in chosen.dropLast() where part.size < Self.minimumPartSize { throw ServerError.entityTooSmall }
        let forbid = ObjectAttributes.forbidsOverwrite(request)
        if forbid && existing != nil { throw ServerError.fileAlreadyExists }
        let record = try await assemble(upload, parts: chosen, forbid: forbid)
        let result = CompleteMultipartUploadResult(location: "http://\(request.hostId)/\(bucket.name)/\(key)", bucket: bucket.name,
                                                   key: key, etag: record.etag)
        return .xml(result.xmlDocument(encodingType: MultipartHandler.encoding(request)),
                    headers: [("ETag", record.etag), ("x-oss-hash-crc64ecma", String(record.crc64))])
    }

    /// Matches the requested parts to the stored ones.
    static func select(_ requested: [UploadedPart], from stored: [PartRecord]) throws -> [PartRecord] {
        var byNumber: [Int: PartRecord] = [:]
        for part in stored { byNumber[part.number] = part }
        var previous = 0
        return try requested.map { wanted in
            guard wanted.number > previous else { throw ServerError.invalidPartOrder }
            previous = wanted.number
            guard let part = byNumber[wanted.number],
                  ETag.matches(wanted.etag, part.etag) else { throw ServerError.invalidPart }
            return part
        }
    }

    /// Commits the object made of the parts' own data files (no bytes are copied; the parts were
    /// fsynced when uploaded). Its CRC-64 is combined from the parts' CRCs.
    private func assemble(_ upload: UploadRecord, parts: [PartRecord], forbid: Bool) async throws -> ObjectRecord {
        let storage = service.storage
        // The server's own part ETags, always quoted MD5s.
        guard let etag = Digest.multipartETag(partETags: parts.map(\.etag)) else { throw ServerError.invalidPart }
        return try await service.io {
            var crc: UInt64 = 0
            var size: Int64 = 0
            var segments: [DataSegment] = []
            for part in parts {
                crc = CRC64.combine(crc, part.crc64, length2: part.size)
                size += part.size
                if let id = part.dataId, part.size > 0 { segments.append(DataSegment(id: id, size: part.size)) }
            }
            let record = ObjectRecord(
                bucket: upload.bucket, key: upload.key, type: .multipart, size: size,
                etag: etag, crc64: crc, contentMD5: nil, lastModifiedMillis: currentMillis(),
                acl: upload.acl, storageClass: upload.storageClass, standardHeaders: upload.standardHeaders,
                userMetadata: upload.userMetadata, dataId: nil, symlinkTarget: nil,
                segments: segments.isEmpty ? nil : segments)
            try storage.completeUpload(id: upload.uploadId, record: record, forbidOverwrite: forbid)
            return record
        }
    }
}
