import Synchronization
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OSSProtocol

/// Buckets and objects: the metadata index plus the data files, behind one lock.
/// Every method is synchronous and may block on disk; call it from the server's thread pool.
/// A change commits its index row only after its data file is fsynced and in place, and removes the
/// data it replaced only after the commit, so a crash never exposes half an object.
// @unchecked: the index is only touched inside `exclusively`; the bucket cache has its own lock.
final class StorageEngine: @unchecked Sendable {
    let directory: DataDirectory
    let index: MetadataIndex
    /// Guards a region (index reads and writes with their file moves), not a value: hence `()`.
    private let lock = Mutex(())
    private let bucketBox = Mutex([String: BucketRecord]())
    /// Bucket rows by name. Reads take only the box's own lock, so bucket lookups never wait for
    /// a long storage operation; writes happen inside `exclusively` too.
    var bucketCache: [String: BucketRecord] {
        get { bucketBox.withLock { $0 } }
        set { bucketBox.withLock { $0 = newValue } }
    }

    /// Runs `body` while holding the storage lock.
    func exclusively<Result>(_ body: () throws -> Result) throws -> Result {
        try lock.withLock { _ throws -> Result in try body() }
    }

    /// Opens the store at `root`; with `recover` (normal startup) removes temp files and
    /// data files no row references (left by a crash between rename and commit).
    init(root: String, recover: Bool = true) throws {
        directory = DataDirectory(root: root)
        if recover { try directory.prepare() }
        index = try MetadataIndex(path: directory.indexPath)
        for bucket in try index.buckets() { bucketCache[bucket.name] = bucket }
        if recover {
            let referenced = try index.referencedDataIds()
            for id in directory.allDataFiles().keys where !referenced.contains(id) { directory.remove(id) }
        }
    }

    // MARK: Buckets (served from memory; cheap enough for the event loop)

    func bucket(_ name: String) -> BucketRecord? { bucketBox.withLock { $0[name] } }

    func buckets() -> [BucketRecord] { bucketCache.values.sorted { $0.name < $1.name } }

    /// Creates the bucket; returns false when it already existed.
    @discardableResult
    func createBucket(_ name: String, acl: ObjectACL = .private) throws -> Bool {
        try exclusively {
            if bucketCache[name] != nil { return false }
            let record = BucketRecord(name: name, createdMillis: currentMillis(), acl: acl == .default ? .private : acl)
            try index.insertBucket(record)
            bucketCache[name] = record
            return true
        }
    }

    func deleteBucket(_ name: String) throws {
        try exclusively {
            guard bucketCache[name] != nil else { throw ServerError.noSuchBucket(name) }
            if try index.bucketHasContent(name) { throw ServerError.bucketNotEmpty(name) }
            try index.deleteBucket(name)
            bucketCache[name] = nil
        }
    }

    func setBucketACL(_ name: String, _ acl: ObjectACL) throws {
        try exclusively {
            guard bucketCache[name] != nil else { throw ServerError.noSuchBucket(name) }
            try index.setBucketACL(name, acl)
            bucketCache[name]?.acl = acl
        }
    }

    // MARK: Objects

    func object(bucket: String, key: String) throws -> ObjectRecord? {
        try exclusively { try index.object(bucket: bucket, key: key) }
    }

    /// Looks the object up and opens its data files in one step, so a concurrent overwrite cannot
    /// remove them in between. `wanted` says, from the row, which bytes will be read (nil: none);
    /// only the data files holding them are opened. The descriptors are the caller's.
    func openObject(bucket: String, key: String, wanted: (ObjectRecord) throws -> ClosedRange<Int64>? = { record in
        record.size > 0 ? 0...(record.size - 1) : nil
    }) throws -> (record: ObjectRecord, files: [OpenSegment])? {
        try exclusively {
            guard let record = try index.object(bucket: bucket, key: key) else { return nil }
            guard record.type != .symlink, let range = try wanted(record) else { return (record, []) }
            var files: [OpenSegment] = []
            do {
                var offset: Int64 = 0
                for extent in record.extents {
                    defer { offset += extent.size }
                    guard extent.size > 0, offset <= range.upperBound, offset + extent.size > range.lowerBound else { continue }
                    files.append(OpenSegment(fd: try directory.openForReading(extent.id), offset: offset, size: extent.size))
                }
            } catch {
                files.forEach { $0.close() }
                throw error
            }
            return (record, files)
        }
    }

    /// Commits `record` (its data, if any, must already be installed under `record.dataId`).
    /// Throws FileAlreadyExists when `forbidOverwrite` and the key exists; then the new data is removed.
    func commitObject(_ record: ObjectRecord, forbidOverwrite: Bool) throws {
        let replaced: [String] = try exclusively {
            do {
                guard bucketCache[record.bucket] != nil else { throw ServerError.noSuchBucket(record.bucket) }
                return try index.connection.transaction {
                    let old = try index.object(bucket: record.bucket, key: record.key)
                    if old != nil && forbidOverwrite { throw ServerError.fileAlreadyExists }
                    try index.upsertObject(record)
                    let kept = Set(record.dataIds)
                    return (old?.dataIds ?? []).filter { !kept.contains($0) }
                }
            } catch {
                record.dataIds.forEach { directory.remove($0) }
                throw error
            }
        }
        replaced.forEach { directory.remove($0) }
    }

    /// Deletes the row, then its data. Absent keys are fine (OSS answers 204 anyway).
    func deleteObject(bucket: String, key: String) throws {
        let removed: [String] = try exclusively {
            guard let old = try index.object(bucket: bucket, key: key) else { return [] }
            try index.deleteObject(bucket: bucket, key: key)
            return old.dataIds
        }
        removed.forEach { directory.remove($0) }
    }

    /// Changes an existing row in place (ACL, metadata edit); throws NoSuchKey when absent.
    @discardableResult
    func updateObject(bucket: String, key: String, _ change: (inout ObjectRecord) throws -> Void) throws -> ObjectRecord {
        try exclusively {
            try index.connection.transaction {
                guard var record = try index.object(bucket: bucket, key: key) else { throw ServerError.noSuchKey(key) }
                try change(&record)
                try index.upsertObject(record)
                return record
            }
        }
    }

    /// Installs a finished temp file as committed data and returns its id; an empty body needs no
    /// data file (its temp file is removed and the id is nil).
    func install(_ written: WrittenData) throws -> String? {
        guard written.size > 0 else {
            directory.removeTemp(written.id)
            return nil
        }
        try directory.install(id: written.id)
        return written.id
    }
}

/// An open data file of an object being read: where its bytes start in the object and how many.
struct OpenSegment: Sendable {
    var fd: Int32
    var offset: Int64
    var size: Int64

    func close() { _ = Glibc.close(fd) }
}
