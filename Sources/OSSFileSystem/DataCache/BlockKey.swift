import Foundation
import OSSProtocol

/// `-o cache_dir=`: where and how much the local data cache may hold.
public struct DataCacheConfiguration: Sendable, Equatable {
    /// The cache directory (shared by every mount given the same one).
    public var directory: String
    /// Upper bound of the bytes of block files (nil: only the free-space floor bounds it).
    public var maxBytes: Int64?
    /// Free space to leave on the cache's file system (nil: 5% of its size).
    public var minFreeBytes: Int64?
    /// What the blocks of this mount are keyed under besides key and ETag: endpoint and bucket.
    public var namespace: String
    /// Bytes per block file (the last block of an object may be shorter).
    public var blockSize: Int

    public init(directory: String, maxBytes: Int64? = nil, minFreeBytes: Int64? = nil, namespace: String,
                blockSize: Int = 1 << 20) {
        self.directory = directory; self.maxBytes = maxBytes; self.minFreeBytes = minFreeBytes
        self.namespace = namespace; self.blockSize = blockSize
    }
}

/// One block of one version of one object: `index` × block size onward of `key` in version `etag`
/// in bucket `namespace`. A replaced object has another ETag, so its old blocks are never found.
struct BlockKey: Hashable, Sendable {
    var namespace: String
    var key: String
    var etag: String
    var index: Int64

    /// Hex SHA-256 of the bucket, of the key, and of the version: the three path components.
    static func hash(_ text: String) -> String { Digest.hex(Digest.sha256(Data(text.utf8))) }

    /// `v1/<bucket>/<key[0..2]>/<key>/<etag>-<index>`, relative to the cache directory. All blocks of a
    /// key (every version) share one directory, so a write through the mount drops them at once.
    var relativePath: String { Self.keyDirectory(namespace: namespace, key: key) + "/" + Self.blockName(etag: etag, index: index) }

    static func keyDirectory(namespace: String, key: String) -> String {
        let k = hash(key)
        return "v1/" + String(hash(namespace).prefix(32)) + "/" + k.prefix(2) + "/" + k
    }

    static func blockName(etag: String, index: Int64) -> String { String(hash(etag).prefix(32)) + "-" + String(index) }

    /// 8 bytes identifying the block, stored in its header: a block file renamed or copied to another
    /// name is not taken for this one.
    var identity: UInt64 {
        let digest = Digest.sha256(Data("\(namespace)\u{0}\(key)\u{0}\(etag)\u{0}\(index)".utf8))
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
