import Foundation
import OSSProtocol

/// A minimal in-memory store for the data-path tests until `TestSupport.InMemoryObjectStore` lands:
/// objects, ranged GETs (standard range behaviour) and multipart uploads.
actor DataPathMemoryStore: ObjectStore {
    private var objects: [String: Data] = [:]
    private var uploads: [String: (key: String, parts: [Int: Data])] = [:]
    private var nextUpload = 0

    private static func noSuchKey(_ key: String) -> OSSError {
        OSSError(httpStatus: 404, code: "NoSuchKey", message: "The specified key does not exist.", extras: ["Key": key])
    }
    private static func bytes(of body: UploadBody) throws -> Data {
        switch body {
        case .bytes(let data): return data
        case .file(let path, let offset, let length):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw TransportError(.localIO, "cannot open \(path)") }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: Int(length)) ?? Data()
            guard data.count == length else { throw TransportError(.localIO, "short read of \(path)") }
            return data
        }
    }

    /// Open multipart uploads (not completed or aborted).
    var openUploads: Int { uploads.count }

    func headObject(_ key: String) async throws -> ObjectMetadata {
        guard let data = objects[key] else { throw Self.noSuchKey(key) }
        return ObjectMetadata(contentLength: Int64(data.count), etag: "\"\(data.hashValue)\"", lastModified: Date())
    }
    func getObject(_ key: String, range: Range<Int64>?) async throws -> Data {
        guard let data = objects[key] else { throw Self.noSuchKey(key) }
        guard let range else { return data }
        guard range.lowerBound < data.count else {
            throw OSSError(httpStatus: 416, code: "InvalidRange", message: "The requested range cannot be satisfied")
        }
        return data.subdata(in: Int(range.lowerBound)..<min(data.count, Int(range.upperBound)))
    }
    func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String {
        if options.forbidOverwrite, objects[key] != nil {
            throw OSSError(httpStatus: 409, code: "FileAlreadyExists", message: "The object you specified already exists.")
        }
        objects[key] = try Self.bytes(of: body)
        return "\"etag-\(key)-\(objects[key]!.count)\""
    }
    func deleteObject(_ key: String) async throws { objects[key] = nil }
    func deleteObjects(_ keys: [String]) async throws { for key in keys { objects[key] = nil } }
    func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws {
        guard let data = objects[source] else { throw Self.noSuchKey(source) }
        objects[destination] = data
    }
    func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage {
        let keys = objects.keys.filter { $0.hasPrefix(prefix) }.sorted()
        return ListObjectsPage(bucket: "test", prefix: prefix, contents: keys.map {
            ObjectSummary(key: $0, lastModified: Date(), etag: "", size: Int64(objects[$0]!.count))
        })
    }
    func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        throw OSSError(httpStatus: 501, code: "NotImplemented", message: "not in this test store")
    }
    func getSymlink(_ key: String) async throws -> SymlinkInfo {
        throw OSSError(httpStatus: 501, code: "NotImplemented", message: "not in this test store")
    }
    func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String {
        nextUpload += 1
        let id = "upload-\(nextUpload)"
        uploads[id] = (key, [:])
        return id
    }
    func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart {
        guard uploads[uploadId]?.key == key else { throw OSSError(httpStatus: 404, code: "NoSuchUpload", message: "") }
        uploads[uploadId]!.parts[partNumber] = try Self.bytes(of: body)
        return UploadedPart(number: partNumber, etag: "\"part-\(partNumber)\"")
    }
    func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart], forbidOverwrite: Bool) async throws -> String {
        guard let upload = uploads[uploadId], upload.key == key else { throw OSSError(httpStatus: 404, code: "NoSuchUpload", message: "") }
        guard parts.map(\.number) == parts.map(\.number).sorted(), Set(parts.map(\.number)).count == parts.count else {
            throw OSSError(httpStatus: 400, code: "InvalidPartOrder", message: "")
        }
        var data = Data()
        for part in parts {
            guard let bytes = upload.parts[part.number] else { throw OSSError(httpStatus: 400, code: "InvalidPart", message: "") }
            data.append(bytes)
        }
        objects[key] = data
        uploads[uploadId] = nil
        return "\"multipart-\(parts.count)\""
    }
    func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        guard uploads.removeValue(forKey: uploadId) != nil else { throw OSSError(httpStatus: 404, code: "NoSuchUpload", message: "") }
    }
}
