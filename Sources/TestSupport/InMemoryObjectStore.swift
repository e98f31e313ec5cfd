import Foundation
import OSSProtocol

/// The store operations, named as OSS names them (keys of request counts).
public enum StoreOperation: String, Sendable, CaseIterable {
    case headObject = "HeadObject", getObject = "GetObject", putObject = "PutObject"
    case deleteObject = "DeleteObject", deleteObjects = "DeleteMultipleObjects", copyObject = "CopyObject"
    case listObjects = "ListObjects", putSymlink = "PutSymlink", getSymlink = "GetSymlink"
    case initiateMultipartUpload = "InitiateMultipartUpload", uploadPart = "UploadPart"
    case completeMultipartUpload = "CompleteMultipartUpload", abortMultipartUpload = "AbortMultipartUpload"
    case appendObject = "AppendObject"
}

/// A fast in-memory `ObjectStore` following OSS semantics (oss-protocol.md): symlinks followed one
/// level on GET/HEAD (SymlinkTargetNotExist, InvalidTargetType), GetSymlink/NotSymlink,
/// forbid-overwrite (409 FileAlreadyExists), CopyObject of a link copies the link, same-key copy
/// edits metadata, listings in byte order with delimiter and paging, `x-oss-range-behavior: standard`
/// ranges, multipart rules, AppendObject (Appendable type, position rules; CopyObject of an
/// appendable object to another key is refused as on OSS). It counts requests per operation and can inject failures.
/// It only speeds up unit tests: the same contract suite also runs against `ossfuse-server`.
public actor InMemoryObjectStore: ObjectStore {
    /// One stored object or link.
    public struct StoredObject: Sendable, Equatable {
        public var data: Data
        public var type: ObjectType
        public var etag: String
        public var lastModified: Date
        public var userMetadata: [String: String]
        public var contentType: String?
        public var storageClass: String
        public var symlinkTarget: String?
        /// Cache-Control, Content-Disposition, ... as written (`ContentHeaders.names`).
        public var contentHeaders: [String: String] = [:]
    }

    private struct Upload {
        var key: String
        var options: WriteOptions
        var parts: [Int: (data: Data, etag: String)] = [:]
    }

    private var objects: [String: StoredObject] = [:]
    private var uploads: [String: Upload] = [:]
    private var counts: [StoreOperation: Int] = [:]
    private var failures: [StoreOperation: [any Error & Sendable]] = [:]
    private let minimumPartSize: Int

    /// - Parameter minimumPartSize: smallest non-last multipart part (OSS: 100 KB).
    public init(minimumPartSize: Int = 100 * 1024) {
        self.minimumPartSize = minimumPartSize
    }

    // MARK: - Test hooks

    /// Requests made per operation since creation or the last reset (failed ones included).
    public var requestCounts: [StoreOperation: Int] { counts }
    public func requestCount(_ operation: StoreOperation) -> Int { counts[operation, default: 0] }
    public var totalRequests: Int { counts.values.reduce(0, +) }
    public func resetRequestCounts() { counts = [:] }

    /// The next `count` calls of `operation` throw `error` instead of running.
    public func injectFailure(_ operation: StoreOperation, _ error: any Error & Sendable, count: Int = 1) {
        failures[operation, default: []] += Array(repeating: error, count: count)
    }

    /// The raw stored object under `key` (no link following), for assertions.
    public func storedObject(_ key: String) -> StoredObject? { objects[key] }

    /// All keys in byte order.
    public var allKeys: [String] { objects.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    // MARK: - ObjectStore

    public func headObject(_ key: String) async throws -> ObjectMetadata {
        try begin(.headObject)
        let (object, target) = try follow(key)
        var metadata = ObjectMetadata(contentLength: Int64(target.data.count), etag: target.etag,
                                      lastModified: max(object.lastModified, target.lastModified), type: object.type,
                                      contentType: object.contentType, storageClass: object.storageClass,
                                      userMetadata: object.userMetadata)
        metadata.contentHeaders = object.contentHeaders
        return metadata
    }

    public func getObject(_ key: String, range: Range<Int64>?, ifMatch: String?, progress: (any BodyProgress)?) async throws -> Data {
        let data = try get(key, range: range, ifMatch: ifMatch)
        progress?.received(data)
        return data
    }

    private func get(_ key: String, range: Range<Int64>?, ifMatch: String?) throws -> Data {
        try begin(.getObject)
        let (_, target) = try follow(key)
        if let ifMatch, !ETag.matches(target.etag, ifMatch) { throw OSSError(.preconditionFailed) }
        guard let range else { return target.data }
        let size = Int64(target.data.count)
        guard range.lowerBound >= 0, range.lowerBound < size, !range.isEmpty else {
            throw OSSError(.invalidRange, message: "The requested range is not satisfiable")
        }
        return target.data.subdata(in: Int(range.lowerBound)..<Int(min(range.upperBound, size)))
    }

    @discardableResult
    public func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String {
        try begin(.putObject)
        try validate(key: key)
        let metadata = try validate(metadata: options.userMetadata)
        try checkOverwrite(key, options.forbidOverwrite)
        let data = try read(body)
        let object = StoredObject(data: data, type: .normal, etag: Self.etag(data), lastModified: Self.now(),
                                  userMetadata: metadata, contentType: options.contentType,
                                  storageClass: options.storageClass ?? "Standard", contentHeaders: options.contentHeaders)
        objects[key] = object
        return object.etag
    }

    public func deleteObject(_ key: String) async throws {
        try begin(.deleteObject)
        objects[key] = nil
    }

    public func deleteObjects(_ keys: [String]) async throws {
        try begin(.deleteObjects)
        guard keys.count <= 1000, !keys.isEmpty else {
            throw OSSError(.malformedXML, message: "1 to 1000 keys per request")
        }
        for key in keys { objects[key] = nil }
    }

    public func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws {
        try begin(.copyObject)
        try validate(key: destination)
        guard var object = objects[source] else { throw Self.noSuchKey(source) }
        // As strict as OSS's AppendObject page (and `ossfuse-server --refuse-appendable-copy`): no
        // copy of an appendable object at all, not even onto its own key.
        if object.type == .appendable {
            throw OSSError(.invalidArgument, message: "The source object is appendable and cannot be copied.")
        }
        if source != destination { try checkOverwrite(destination, metadata?.forbidOverwrite ?? false) }
        if let metadata {
            object.userMetadata = try validate(metadata: metadata.userMetadata)
            object.contentType = metadata.contentType
            object.contentHeaders = metadata.contentHeaders
        }
        // As the server: a copy to another key takes the class asked for, else the bucket's.
        if source != destination || metadata?.storageClass != nil {
            object.storageClass = metadata?.storageClass ?? "Standard"
        }
        object.lastModified = Self.now()
        objects[destination] = object
    }

    public func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage {
        try begin(.listObjects)
        guard (1...1000).contains(maxKeys) else {
            throw OSSError(.invalidArgument, message: "max-keys must be 1 to 1000")
        }
        var page = ListObjectsPage(bucket: "memory", prefix: prefix, delimiter: delimiter,
                                   continuationToken: continuationToken, maxKeys: maxKeys)
        var emitted = 0
        var lastEmitted: String?
        for key in allKeys where key.utf8.starts(with: prefix.utf8) {
            if let token = continuationToken {
                guard token.utf8.lexicographicallyPrecedes(key.utf8) else { continue }
                if let delimiter, token.hasSuffix(delimiter), key.utf8.starts(with: token.utf8) { continue }
            }
            var entry = key
            var isPrefix = false
            if let delimiter, !delimiter.isEmpty {
                let rest = String(decoding: key.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                if let range = rest.range(of: delimiter) {
                    entry = prefix + rest[..<range.upperBound]
                    isPrefix = true
                }
            }
            if isPrefix && entry == lastEmitted { continue }
            if emitted == maxKeys {
                page.isTruncated = true
                page.nextContinuationToken = lastEmitted
                break
            }
            if isPrefix {
                page.commonPrefixes.append(entry)
            } else {
                let object = objects[key]!
                page.contents.append(ObjectSummary(key: key, lastModified: object.lastModified, etag: object.etag,
                                                   size: Int64(object.data.count), type: object.type,
                                                   storageClass: object.storageClass))
            }
            lastEmitted = entry
            emitted += 1
        }
        return page
    }

    public func putSymlink(_ key: String, target: String, options: WriteOptions) async throws {
        try begin(.putSymlink)
        try validate(key: key)
        guard !target.isEmpty else { throw OSSError(.invalidArgument, message: "empty symlink target") }
        try validate(key: target)
        let metadata = try validate(metadata: options.userMetadata)
        try checkOverwrite(key, options.forbidOverwrite)
        let data = Data(target.utf8)
        objects[key] = StoredObject(data: data, type: .symlink, etag: Self.etag(data), lastModified: Self.now(),
                                    userMetadata: metadata, contentType: options.contentType, storageClass: "Standard",
                                    symlinkTarget: target)
    }

    public func getSymlink(_ key: String) async throws -> SymlinkInfo {
        try begin(.getSymlink)
        guard let object = objects[key] else { throw Self.noSuchKey(key) }
        guard let target = object.symlinkTarget else {
            throw OSSError(.notSymlink, message: "The specified object is not a symlink")
        }
        return SymlinkInfo(target: target, etag: object.etag, lastModified: object.lastModified, userMetadata: object.userMetadata)
    }

    public func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String {
        try begin(.initiateMultipartUpload)
        try validate(key: key)
        _ = try validate(metadata: options.userMetadata)
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        uploads[id] = Upload(key: key, options: options)
        return id
    }

    public func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart {
        try begin(.uploadPart)
        guard uploads[uploadId]?.key == key else { throw Self.noSuchUpload }
        guard (1...10000).contains(partNumber) else {
            throw OSSError(.invalidArgument, message: "part number must be 1 to 10000")
        }
        let data = try read(body)
        let etag = Self.etag(data)
        uploads[uploadId]!.parts[partNumber] = (data, etag)
        return UploadedPart(number: partNumber, etag: etag)
    }

    @discardableResult
    public func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart], forbidOverwrite: Bool) async throws -> String {
        try begin(.completeMultipartUpload)
        guard let upload = uploads[uploadId], upload.key == key else { throw Self.noSuchUpload }
        guard !parts.isEmpty, zip(parts, parts.dropFirst()).allSatisfy({ $0.number < $1.number }) else {
            throw OSSError(.invalidPartOrder, message: "parts must be in ascending order")
        }
        var data = Data()
        for (index, part) in parts.enumerated() {
            guard let stored = upload.parts[part.number], stored.etag == part.etag else {
                throw OSSError(.invalidPart, message: "unknown part \(part.number)")
            }
            if index < parts.count - 1 && stored.data.count < minimumPartSize {
                throw OSSError(.entityTooSmall, message: "part \(part.number) is too small")
            }
            data += stored.data
        }
        try checkOverwrite(key, forbidOverwrite || upload.options.forbidOverwrite)
        let etag = "\"" + Self.etag(data).dropFirst().dropLast() + "-\(parts.count)\""
        objects[key] = StoredObject(data: data, type: .multipart, etag: etag, lastModified: Self.now(),
                                    userMetadata: try validate(metadata: upload.options.userMetadata),
                                    contentType: upload.options.contentType, storageClass: "Standard",
                                    contentHeaders: upload.options.contentHeaders)
        uploads[uploadId] = nil
        return etag
    }

    public func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        try begin(.abortMultipartUpload)
        guard uploads.removeValue(forKey: uploadId) != nil else { throw Self.noSuchUpload }
    }

    /// Position 0 creates an Appendable object; appends keep its metadata. 409 ObjectNotAppendable for
    /// other types, 409 PositionNotEqualToLength (with `NextAppendPosition`) for a wrong position.
    public func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions) async throws -> Int64 {
        try begin(.appendObject)
        try validate(key: key)
        let data = try read(body)
        let existing = objects[key]
        if let existing, existing.type != .appendable {
            throw OSSError(.objectNotAppendable, message: "The object is not appendable")
        }
        let length = Int64(existing?.data.count ?? 0)
        guard position == length else {
            throw OSSError(.positionNotEqualToLength,
                           message: "Position is not equal to file length", extras: ["NextAppendPosition": String(length)])
        }
        let metadata = try validate(metadata: options.userMetadata)
        var object = existing ?? StoredObject(data: Data(), type: .appendable, etag: "", lastModified: Self.now(),
                                              userMetadata: metadata, contentType: options.contentType, storageClass: "Standard")
        object.data += data
        object.etag = Self.etag(object.data)
        object.lastModified = Self.now()
        objects[key] = object
        return Int64(object.data.count)
    }

    /// Multipart uploads started and neither completed nor aborted.
    public var openUploadCount: Int { uploads.count }

    // MARK: - Rules

    private func begin(_ operation: StoreOperation) throws {
        counts[operation, default: 0] += 1
        if var pending = failures[operation], !pending.isEmpty {
            let error = pending.removeFirst()
            failures[operation] = pending
            throw error
        }
    }

    /// The object under `key` and what a read through it reaches (one level of links).
    private func follow(_ key: String) throws -> (StoredObject, StoredObject) {
        guard let object = objects[key] else { throw Self.noSuchKey(key) }
        guard let targetKey = object.symlinkTarget else { return (object, object) }
        guard let target = objects[targetKey] else {
            throw OSSError(.symlinkTargetNotExist, message: "The symlink target object does not exist")
        }
        if target.type == .symlink {
            throw OSSError(.invalidTargetType, message: "The symbolic's target file type is invalid")
        }
        return (object, target)
    }

    private func checkOverwrite(_ key: String, _ forbid: Bool) throws {
        if forbid && objects[key] != nil {
            throw OSSError(.fileAlreadyExists, message: "The object you specified already exists")
        }
    }

    private func validate(key: String) throws {
        guard !key.isEmpty, key.utf8.count <= 1023, !key.hasPrefix("/"), !key.hasPrefix("\\") else {
            throw OSSError(.invalidObjectName, message: "The specified object name is not valid (empty, too long, or starting with / or \\)")
        }
    }

    private func validate(metadata: [String: String]) throws -> [String: String] {
        var out: [String: String] = [:]
        var total = 0
        for (name, value) in metadata {
            let lower = name.lowercased()
            guard !lower.isEmpty, lower.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }),
                  value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
                throw OSSError(.invalidArgument, message: "invalid user metadata \(name)")
            }
            total += lower.utf8.count + value.utf8.count
            out[lower] = value
        }
        if total > 8192 { throw OSSError(.invalidArgument, message: "user metadata over 8 KB") }
        return out
    }

    private func read(_ body: UploadBody) throws -> Data {
        switch body {
        case .bytes(let data):
            return data
        case .file(let path, let offset, let length):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw TransportError(.localIO, "cannot open \(path)")
            }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: Int(length)) ?? Data()
            guard data.count == length else { throw TransportError(.localIO, "short read from \(path)") }
            return data
        }
    }

    private static func noSuchKey(_ key: String) -> OSSError {
        OSSError(.noSuchKey, message: "The specified key does not exist.", extras: ["Key": key])
    }

    private static let noSuchUpload = OSSError(.noSuchUpload, message: "The specified upload does not exist.")

    /// Whole seconds, as HTTP dates carry them.
    private static func now() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    /// A quoted 32-hex-digit content hash (two FNV-1a 64 passes); OSS says never to treat ETags as MD5s.
    static func etag(_ data: Data) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in data {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte ^ 0x5a)) &* 0x100_0000_01b3
        }
        return "\"" + String(format: "%016llX%016llX", a, b) + "\""
    }
}
