import Foundation

/// A body to upload: bytes in memory, or a slice of a local (staging) file streamed from disk.
public enum UploadBody: Sendable, Equatable {
    case bytes(Data)
    case file(path: String, offset: Int64, length: Int64)

    public var length: Int64 {
        switch self {
        case .bytes(let d): return Int64(d.count)
        case .file(_, _, let length): return length
        }
    }
}

/// Options of a write (PutObject, CopyObject with REPLACE, InitiateMultipartUpload, PutSymlink).
public struct WriteOptions: Sendable, Equatable {
    /// `x-oss-meta-*` without the prefix.
    public var userMetadata: [String: String]
    public var contentType: String?
    /// `x-oss-forbid-overwrite: true`: 409 FileAlreadyExists when the key exists.
    public var forbidOverwrite: Bool
    /// `x-oss-storage-class` (`Standard`, `IA`, `Archive`, `ColdArchive`, `DeepColdArchive`); nil:
    /// the header is not sent (the bucket's class).
    public var storageClass: String? = nil
    /// The other standard headers stored with the object (`ContentHeaders.names`), by canonical name.
    public var contentHeaders: [String: String] = [:]

    public init(userMetadata: [String: String] = [:], contentType: String? = nil, forbidOverwrite: Bool = false,
                storageClass: String? = nil, contentHeaders: [String: String] = [:]) {
        self.userMetadata = userMetadata; self.contentType = contentType; self.forbidOverwrite = forbidOverwrite
        self.storageClass = storageClass; self.contentHeaders = contentHeaders
    }
}

/// The standard headers besides Content-Type that OSS stores with an object and replays on GET and
/// HEAD (PutObject and CopyObject pages). A metadata change copies the object onto itself with
/// `x-oss-metadata-directive: REPLACE`, which replaces them too: they must be sent again.
public enum ContentHeaders {
    /// Canonical spellings.
    public static let names = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"]
}

/// One completed part of a multipart upload.
public struct UploadedPart: Sendable, Equatable {
    public var number: Int
    public var etag: String
    public init(number: Int, etag: String) { self.number = number; self.etag = etag }
}

/// Told of a GET body's bytes while they arrive.
public protocol BodyProgress: AnyObject, Sendable {
    /// The body's first `prefix.count` bytes: all the current attempt has received, of an answer
    /// that is the object's bytes (never an error document). Called again with longer prefixes; a
    /// GET the store retries starts over with shorter ones. Called on the store's own thread: be quick.
    func received(_ prefix: Data)
}

/// The object-storage operations the file system needs. `OSSClient` is the real implementation
/// (over HTTP); `TestSupport.InMemoryObjectStore` is a fast double that must pass the same contract
/// suite. Every failure is thrown as `OSSError` (server answers) or `TransportError` (no answer).
/// Declared here, beside the value types, so the client and the file system share it without
/// depending on each other.
public protocol ObjectStore: Sendable {
    func headObject(_ key: String) async throws -> ObjectMetadata
    /// The bytes of `range` (half-open; nil reads the whole object), of the version whose ETag is
    /// `ifMatch` only (else 412 `PreconditionFailed`), telling
    /// `progress` of the body's bytes as they arrive, before the whole body has (a reader can use the
    /// first bytes of a large range early). A store that cannot stream tells it once, of the whole
    /// body, before returning; nothing of a refused answer.
    func getObject(_ key: String, range: Range<Int64>?, ifMatch: String?, progress: (any BodyProgress)?) async throws -> Data
    /// Returns the new ETag.
    @discardableResult
    func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String
    func deleteObject(_ key: String) async throws
    /// Deletes up to 1000 keys per call; missing keys count as deleted.
    func deleteObjects(_ keys: [String]) async throws
    /// `metadata == nil`: COPY directive (keep source metadata); otherwise REPLACE with it.
    func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws
    func listObjects(prefix: String, delimiter: String?, continuationToken: String?, maxKeys: Int) async throws -> ListObjectsPage
    func putSymlink(_ key: String, target: String, options: WriteOptions) async throws
    func getSymlink(_ key: String) async throws -> SymlinkInfo

    func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String
    func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart
    @discardableResult
    func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart], forbidOverwrite: Bool) async throws -> String
    func abortMultipartUpload(_ key: String, uploadId: String) async throws

    /// AppendObject: `position` 0 creates an appendable object (`<Type>Appendable</Type>` in
    /// listings, `options` applied); later appends add to its end. 409 `ObjectNotAppendable` when the
    /// key holds another type, 409 `PositionNotEqualToLength` when `position` is not the current
    /// length. Returns the next append position (the new length).
    func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions) async throws -> Int64

    /// RestoreObject: starts a restore of an Archive, Cold Archive or Deep Cold Archive object
    /// (`request` carries Days and the cold classes' Tier). Returns the HTTP status: 202 when a
    /// restore starts, 200 when the object was already restored (its expiry moves out). 409
    /// `RestoreAlreadyInProgress` while one runs; 400 `OperationNotSupported` for other classes.
    @discardableResult
    func restoreObject(_ key: String, request: RestoreRequest) async throws -> Int
}

extension ObjectStore {
    /// The bytes of `range` (half-open; nil: the whole object) of whatever version is there.
    public func getObject(_ key: String, range: Range<Int64>?) async throws -> Data {
        try await getObject(key, range: range, ifMatch: nil, progress: nil)
    }

    /// Stores without archive classes have nothing to restore.
    @discardableResult
    public func restoreObject(_ key: String, request: RestoreRequest) async throws -> Int {
        throw OSSError(.operationNotSupported, message: "This store has no archive classes")
    }

    /// Stores that cannot append answer 501 NotImplemented (callers fall back to PutObject).
    public func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions) async throws -> Int64 {
        throw OSSError(.notImplemented, message: "AppendObject is not implemented by this store")
    }
}

/// Failures below the OSS protocol: connection refused/reset, timeouts, local I/O.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case connection, timeout, localIO, other }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
