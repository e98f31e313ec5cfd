import Foundation
import NIOCore
import NIOHTTP1
import OSSProtocol

/// GetObject, HeadObject and GetObjectMeta (oss-protocol.md 2.5, 2.6, 1.4).
struct GetObjectHandler: Sendable {
    let service: ServiceState

    /// GET or HEAD of an object (through a symlink when the key is one).
    func get(_ request: RequestContext) async throws -> ServerResponse {
        let bucket = try service.bucket(request.bucket)
        let standard = request.header("x-oss-range-behavior")?.lowercased() == "standard"
        let rangeHeader = request.header("Range")
        let isHead = request.method == .HEAD
        let opened = try await service.openForRead(request, bucket: bucket, key: request.key ?? "") { size in
            // Invalid ranges are answered after the checks below; open the whole object then.
            guard !isHead, size > 0 else { return nil }
            return ((try? RangeSpec.resolve(rangeHeader, size: size, standard: standard)) ?? nil) ?? 0...(size - 1)
        }
        do {
            let content = opened.content
            let lastModified = ObjectResponseHeaders.lastModified(meta: opened.meta, content: content)
            try Preconditions.check({ request.header($0) }, etag: content.etag, lastModified: lastModified)
            let restore = try await service.restoreHeaders(for: content, reading: !isHead)
            let range = try RangeSpec.resolve(rangeHeader, size: content.size, standard: standard)
            var headers = ObjectResponseHeaders.build(meta: opened.meta, content: content)
            headers += restore
            ObjectResponseHeaders.applyOverrides(&headers, request: request)
            let slice = range ?? 0...(max(content.size, 1) - 1)
            let length = content.size == 0 ? 0 : slice.upperBound - slice.lowerBound + 1
            var status = HTTPResponseStatus.ok
            if let range {
                status = .partialContent
                headers.append(("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(content.size)"))
            }
            guard request.method != .HEAD, length > 0, !opened.files.isEmpty else {
                opened.close()
                return ServerResponse(status: status, headers: headers, announcedLength: length)
            }
            return ServerResponse(status: status, headers: headers, body: .files(Self.regions(opened.files, slice)))
        } catch {
            opened.close()
            throw error
        }
    }

    /// FileRegions covering the inclusive byte range `slice` of the concatenated files; files
    /// outside the range are closed here.
    static func regions(_ files: [OpenSegment], _ slice: ClosedRange<Int64>) -> [FileRegion] {
        var regions: [FileRegion] = []
        for file in files {
            let start = max(slice.lowerBound, file.offset)
            let end = min(slice.upperBound + 1, file.offset + file.size)
            if start < end {
                let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: file.fd)
                regions.append(FileRegion(fileHandle: handle, readerIndex: Int(start - file.offset),
                                          endIndex: Int(end - file.offset)))
            } else {
                file.close()
            }
        }
        return regions
    }

    /// GetObjectMeta: the addressed object's own length, ETag, Last-Modified and CRC (for a link,
    /// the link's own facts, as the GetObjectMeta doc states; oss-protocol.md 1.5 notes this is UNCONFIRMED).
    func meta(_ request: RequestContext) async throws -> ServerResponse {
        let (_, record) = try await service.readableRecord(request)
        let headers: [(name: String, value: String)] = [
            ("ETag", record.etag), ("Last-Modified", HTTPDate.rfc1123(record.lastModified)),
            ("x-oss-hash-crc64ecma", String(record.crc64)), ("x-oss-last-access-time", HTTPDate.rfc1123(record.lastModified)),
        ]
        return ServerResponse(headers: headers, announcedLength: request.method == .HEAD ? record.size : 0)
    }
}
