import Foundation
import OSSProtocol
import TestSupport
import XCTest

/// `-o cache_dir=`: the local data cache, through real mounts of a real server, counted by the
/// server's stats.
final class DataCacheMountTests: MountTestCase {
    var cacheDir: String { scratch + "/cache" }

    /// A local file of `mebibytes` random MiB (every block differs) uploaded as `key` (multipart).
    @discardableResult
    func upload(_ key: String, mebibytes: Int, name: String? = nil) throws -> String {
        let file = scratch + "/" + (name ?? key.replacingOccurrences(of: "/", with: "_"))
        try local("head -c \(mebibytes)M /dev/urandom > \(q(file))")
        let client = try server.client()
        try runBlocking {
            let id = try await client.initiateMultipartUpload(key, options: WriteOptions())
            var parts: [UploadedPart] = []
            let part: Int64 = 64 << 20, size = Int64(mebibytes) << 20
            var offset: Int64 = 0
            while offset < size {
                let length = min(part, size - offset)
                parts.append(try await client.uploadPart(key, uploadId: id, partNumber: parts.count + 1,
                                                         body: .file(path: file, offset: offset, length: length)))
                offset += length
            }
            _ = try await client.completeMultipartUpload(key, uploadId: id, parts: parts, forbidOverwrite: false)
        }
        return file
    }

    func md5(local path: String) throws -> String { try local("md5sum < \(q(path))") }
    func md5(_ mount: MountedBucket, _ path: String) throws -> String { try sh(mount, "md5sum < \(q(path))") }
    func gets(since before: [String: Int]) throws -> Int {
        try server.stats()["GetObject", default: 0] - before["GetObject", default: 0]
    }
    func blockFiles(_ dir: String? = nil) throws -> Int {
        Int(try local("find \(q((dir ?? cacheDir) + "/v1")) -type f | wc -l").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// direct_io: the kernel keeps nothing, so the second read reaches the mount, which answers
    /// from the cache.
    func testSecondReadOf256MiBSendsNoGetObject() throws {
        let file = try upload("big", mebibytes: 256)
        let m = try mount(options: ["cache_dir=\(cacheDir)", "direct_io"])
        XCTAssertEqual(try md5(m, "big"), try md5(local: file))
        XCTAssertEqual(try blockFiles(), 256)
        let before = try server.stats()
        XCTAssertEqual(try md5(m, "big"), try md5(local: file))
        XCTAssertEqual(try gets(since: before), 0)
    }

    func testRemountReusesTheCache() throws {
        let file = try upload("d/f", mebibytes: 24)
        let m = try mount(options: ["cache_dir=\(cacheDir)"])
        var before = try server.stats()
        XCTAssertEqual(try md5(m, "d/f"), try md5(local: file))
        XCTAssertGreaterThan(try gets(since: before), 0)
        try m.remount()
        before = try server.stats()
        XCTAssertEqual(try md5(m, "d/f"), try md5(local: file))
        XCTAssertEqual(try gets(since: before), 0, "after remount")
    }

    /// Replaced by another writer (same size): the new ETag's blocks are fetched, the old never served.
    func testReplacedObjectIsFetchedAgainNeverServedFromOldBlocks() throws {
        let old = try upload("f", mebibytes: 8, name: "old")
        let m = try mount(options: ["cache_dir=\(cacheDir)", "attr_timeout=1"])
        XCTAssertEqual(try md5(m, "f"), try md5(local: old))
        let new = try upload("f", mebibytes: 8, name: "new")
        XCTAssertNotEqual(try md5(local: old), try md5(local: new))
        XCTAssertTrue(try eventually { try m.run("md5sum < f").stdout == (try md5(local: new)) }, "never saw the new content")
        try m.remount()
        let before = try server.stats()
        XCTAssertEqual(try md5(m, "f"), try md5(local: new))
        XCTAssertEqual(try gets(since: before), 0, "the new version's blocks were cached")
    }

    func testCorruptedBlockIsDetectedAndFetchedAgain() throws {
        let file = try upload("c", mebibytes: 4)
        let m = try mount(options: ["cache_dir=\(cacheDir)"])
        XCTAssertEqual(try md5(m, "c"), try md5(local: file))
        m.unmount()
        // Flip one byte in the middle of one block file.
        let victim = try self.local("find \(q(cacheDir + "/v1")) -type f | sort | head -1").trimmingCharacters(in: .whitespacesAndNewlines)
        try self.local("printf '\\x5a' | dd of=\(q(victim)) bs=1 seek=4000 conv=notrunc 2>/dev/null")
        try m.remount()
        let before = try server.stats()
        XCTAssertEqual(try md5(m, "c"), try md5(local: file), "a corrupted block was returned")
        XCTAssertGreaterThanOrEqual(try gets(since: before), 1)
        XCTAssertTrue(m.log.contains("failed its check"), m.log)
        XCTAssertEqual(try blockFiles(), 4, "the bad block was not stored again")
    }

    /// Two mounts at once on one cache directory: both read (concurrently) and write correctly, and
    /// each reads from the blocks the other stored.
    func testTwoConcurrentMountsShareOneCacheDirectory() throws {
        let file = try upload("shared", mebibytes: 32)
        let a = try mount(options: ["cache_dir=\(cacheDir)", "attr_timeout=1", "direct_io"])
        let b = try mount(options: ["cache_dir=\(cacheDir)", "attr_timeout=1", "direct_io"])
        let both = try self.local("""
            md5sum < \(q(a.path("shared"))) > a.sum & md5sum < \(q(b.path("shared"))) > b.sum; wait; cat a.sum b.sum
            """)
        let expected = try md5(local: file)
        XCTAssertEqual(both, expected + expected, both)
        let before = try server.stats()
        XCTAssertEqual(try md5(a, "shared"), expected)
        XCTAssertEqual(try md5(b, "shared"), expected)
        XCTAssertEqual(try gets(since: before), 0)
        // A writes a file, B reads it; B overwrites it, A sees B's version (not A's cached blocks).
        let second = try upload("unused", mebibytes: 3, name: "second")
        try sh(a, "cp \(q(second)) w")
        XCTAssertTrue(try eventually { try b.run("md5sum < w").stdout == (try md5(local: second)) })
        try sh(b, "cp \(q(file)) w")
        XCTAssertTrue(try eventually { try a.run("md5sum < w").stdout == expected }, "A kept serving its old blocks")
        XCTAssertEqual(try md5(b, "w"), expected)
    }

    /// A 64 MiB tmpfs, no floor: ENOSPC while storing blocks evicts and the 1 GiB read goes on.
    func testSmallTmpfsCacheWithA1GiBReadStaysUnderItsLimit() throws {
        let tmpfs = scratch + "/tmpfs"
        try local("mkdir -p \(q(tmpfs)) && mount -t tmpfs -o size=64m tmpfs \(q(tmpfs))")
        defer { _ = try? MountCommand.shell("umount \(q(tmpfs))", in: scratch) }
        let file = try upload("huge", mebibytes: 1024)
        let m = try mount(options: ["cache_dir=\(tmpfs)/c", "cache_min_free=0"])
        XCTAssertEqual(try md5(m, "huge"), try md5(local: file))
        XCTAssertTrue(m.log.contains("ENOSPC"), "the cache never filled its tmpfs: \(m.log)")
        let held = try blockFiles(tmpfs + "/c")
        XCTAssertGreaterThan(held, 0, "nothing stored after the evictions")
        XCTAssertLessThanOrEqual(held, 64)
    }

    /// cache_size: never more blocks held than it allows, checked while a 96 MiB read runs.
    func testCacheSizeBoundsTheBlocksHeldDuringARead() throws {
        let file = try upload("bounded", mebibytes: 96)
        let m = try mount(options: ["cache_dir=\(cacheDir)", "cache_size=16M"])
        let out = try self.local("""
            (md5sum < \(q(m.path("bounded"))) > sum) & pid=$!; max=0; \
            while kill -0 $pid 2>/dev/null; do n=$(du -sb \(q(cacheDir + "/v1")) 2>/dev/null | cut -f1); \
            [ "${n:-0}" -gt $max ] && max=$n; sleep 0.05; done; wait $pid; cat sum; echo $max
            """).split(separator: "\n")
        XCTAssertEqual(out.first.map(String.init).map { $0 + "\n" }, try md5(local: file))
        let peak = Int(out.last ?? "") ?? -1
        // Blocks are bounded; du also counts directories (a few KiB).
        XCTAssertLessThanOrEqual(peak, (16 << 20) + (256 << 10), "peak \(peak) bytes")
        XCTAssertGreaterThan(try blockFiles(), 0)
    }
}
