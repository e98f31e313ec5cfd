import Foundation
import OSSProtocol

/// The stored facts of one object (or symlink) as kept in the metadata index.
struct ObjectRecord: Sendable, Equatable {
    var bucket: String
    var key: String
    var type: ObjectType
    /// Bytes of data; for a symlink, the byte length of the target key.
    var size: Int64
    /// Quoted ETag as sent in headers.
    var etag: String
    var crc64: UInt64
    /// Base64 MD5 of the body (Normal objects only).
    var contentMD5: String?
    /// Last-Modified in milliseconds since 1970.
    var lastModifiedMillis: Int64
    var acl: ObjectACL
    var storageClass: String
    /// Standard HTTP headers kept with the object (Content-Type, Cache-Control, ...), canonical names.
    var standardHeaders: [String: String]
    /// User metadata: names lower-cased, without `x-oss-meta-`.
    var userMetadata: [String: String]
    /// Name of the data file, nil for empty objects and symlinks.
    var dataId: String?
    /// Decoded target key when `type == .symlink`.
    var symlinkTarget: String?
    /// For a completed multipart upload: its parts' data files, in order (then `dataId` is nil).
    /// Complete costs no copy; GET sends the files one after another.
    var segments: [DataSegment]? = nil

    var lastModified: Date { Date(timeIntervalSince1970: Double(lastModifiedMillis) / 1000) }

    /// Every data file this object owns.
    var dataIds: [String] { (dataId.map { [$0] } ?? []) + (segments?.map(\.id) ?? []) }

    /// The data files holding the bytes, in order, with their lengths.
    var extents: [DataSegment] {
        if let segments { return segments }
        guard let dataId, type != .symlink else { return [] }
        return [DataSegment(id: dataId, size: size)]
    }
}

/// One data file of a multi-file object.
struct DataSegment: Sendable, Equatable, Codable {
    var id: String
    var size: Int64
}

/// A bucket row.
struct BucketRecord: Sendable, Equatable {
    var name: String
    var createdMillis: Int64
    var acl: ObjectACL
}

/// An in-progress multipart upload.
struct UploadRecord: Sendable, Equatable {
    var uploadId: String
    var bucket: String
    var key: String
    var initiatedMillis: Int64
    var acl: ObjectACL
    var storageClass: String
    var standardHeaders: [String: String]
    var userMetadata: [String: String]
}

/// One uploaded part of a multipart upload.
struct PartRecord: Sendable, Equatable {
    var uploadId: String
    var number: Int
    var size: Int64
    var etag: String
    var crc64: UInt64
    var lastModifiedMillis: Int64
    var dataId: String?
}

/// A listing entry before XML rendering.
struct ListingEntry: Sendable, Equatable {
    var key: String
    var type: ObjectType
    var size: Int64
    var etag: String
    var lastModifiedMillis: Int64
    var storageClass: String
}

/// Now, in milliseconds since 1970, truncated to whole seconds: OSS times have second precision
/// (listings say `.000Z`, and oss2 accepts nothing else).
func currentMillis() -> Int64 { Int64(Date().timeIntervalSince1970.rounded(.down)) * 1000 }
