import Foundation
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// `DataCache` against a temporary directory: block files, checks, bounds, sharing; and a
/// `Prefetcher` reading through it from a real server.
@Suite struct DataCacheTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("datacache-\(UUID().uuidString)").path
    }

    func cache(maxBytes: Int64? = nil, namespace: String = "ep/bkt", blockSize: Int = 1024) throws -> DataCache {
        try DataCache(DataCacheConfiguration(directory: dir, maxBytes: maxBytes, minFreeBytes: 0, namespace: namespace,
                                             blockSize: blockSize))
    }

    func bytes(_ count: Int, seed: UInt8) -> Data { Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ seed }) }

    func blockFiles() -> [String] {
        var paths: [String] = []
        DataCache.walk(dir + "/v1") { path, _ in paths.append(path) }
        return paths
    }

    @Test func storedBlockIsReadBackByAnotherInstanceOnlyForItsVersionAndBucket() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = bytes(1024, seed: 7)
        try cache().store(data, key: "a/b", etag: "\"E1\"", index: 3)
        let again = try cache()
        #expect(again.block(key: "a/b", etag: "\"E1\"", index: 3) == data)
        #expect(again.block(key: "a/b", etag: "\"E2\"", index: 3) == nil)
        #expect(again.block(key: "a/b", etag: "\"E1\"", index: 2) == nil)
        #expect(try cache(namespace: "ep/other").block(key: "a/b", etag: "\"E1\"", index: 3) == nil)
        #expect(again.counters.hits == 1)
        #expect(blockFiles().count == 1)
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp")).isEmpty, "a temporary was left")
    }

    @Test func corruptedOrTruncatedBlockIsDroppedNeverReturned() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try cache()
        c.store(bytes(1024, seed: 1), key: "k", etag: "e", index: 0)
        c.store(bytes(1024, seed: 2), key: "k", etag: "e", index: 1)
        let files = blockFiles().sorted()
        #expect(files.count == 2)
        // Flip one data byte of block 0; cut block 1 short.
        let path0 = files.first { $0.hasSuffix("-0") }!, path1 = files.first { $0.hasSuffix("-1") }!
        var file = try Data(contentsOf: URL(fileURLWithPath: path0))
        file[file.count - 10] ^= 0xFF
        try file.write(to: URL(fileURLWithPath: path0))
        try Data(try Data(contentsOf: URL(fileURLWithPath: path1)).prefix(500)).write(to: URL(fileURLWithPath: path1))
        #expect(c.block(key: "k", etag: "e", index: 0) == nil)
        #expect(c.block(key: "k", etag: "e", index: 1) == nil)
        #expect(c.counters.corrupt == 2)
        #expect(blockFiles().isEmpty, "bad blocks must be deleted")
        c.store(bytes(1024, seed: 1), key: "k", etag: "e", index: 0)
        #expect(c.block(key: "k", etag: "e", index: 0) == bytes(1024, seed: 1))
    }

    @Test func sizeBoundEvictsLeastRecentlyUsedAndRefusesBeyondIt() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let perBlock = Int64(1024 + BlockFile.headerSize)
        let c = try cache(maxBytes: perBlock * 10)
        c.sweep()  // counted: empty
        for i in 0..<10 { c.store(bytes(1024, seed: UInt8(i)), key: "k", etag: "e", index: Int64(i)) }
        #expect(blockFiles().count == 10)
        // Age every block, then use block 9 (recent again): it must survive the eviction.
        for path in blockFiles() {
            var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
            _ = utimensat(AT_FDCWD, path, &times, 0)
        }
        #expect(c.block(key: "k", etag: "e", index: 9) != nil)
        c.store(bytes(1024, seed: 99), key: "k", etag: "e", index: 10)  // over the bound: refused
        #expect(c.counters.skipped >= 1)
        c.sweep(wait: true)
        let held = blockFiles()
        #expect(Int64(held.count) * perBlock <= perBlock * 10 - perBlock, "held \(held.count) blocks")
        #expect(held.contains { $0.hasSuffix("-9") }, "the recently used block was evicted")
        #expect(c.counters.evicted >= 1)
    }

    @Test func dropRemovesEveryVersionOfAKeyOnly() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try cache()
        c.store(bytes(100, seed: 1), key: "k", etag: "e1", index: 0)
        c.store(bytes(100, seed: 2), key: "k", etag: "e2", index: 0)
        c.store(bytes(100, seed: 3), key: "other", etag: "e1", index: 0)
        c.drop(key: "k")
        #expect(c.block(key: "k", etag: "e1", index: 0) == nil)
        #expect(c.block(key: "k", etag: "e2", index: 0) == nil)
        #expect(c.block(key: "other", etag: "e1", index: 0) == bytes(100, seed: 3))
    }

    @Test func twoInstancesWritingTheSameBlocksAtOnceLeaveOnlyWholeBlocks() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try cache(), b = try cache()
        await withTaskGroup(of: Void.self) { group in
            for c in [a, b] {
                group.addTask {
                    for round in 0..<20 { for i in 0..<8 { c.store(self.bytes(1024, seed: UInt8(i)), key: "k", etag: "e", index: Int64(i)) }; _ = round }
                }
                group.addTask {
                    for _ in 0..<20 { for i in 0..<8 { if let d = c.block(key: "k", etag: "e", index: Int64(i)) { #expect(d == self.bytes(1024, seed: UInt8(i))) } } }
                }
            }
        }
        #expect(a.counters.corrupt + b.counters.corrupt == 0)
        #expect(blockFiles().count == 8)
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp")).isEmpty)
    }

    /// Through a real server: the second reader of the same version sends no GetObject, and a
    /// reader of another version (another ETag) does not get the old bytes.
    @Test func prefetcherServesCachedBlocksWithoutRequests() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = try DataPathFixture(.server)
        let server = try #require(fixture.server)
        let store = fixture.scenarios.store
        let data = DataPathScenarios.source.prefix((3 << 20) + 500)
        let etag = try await store.putObject("dc/file", body: .bytes(Data(data)), options: WriteOptions())
        let config = MountConfiguration(maxPrefetchBytes: 16 << 20)
        let c = try cache(blockSize: 1 << 20)
        func readAll(_ etag: String) async throws -> Data {
            let p = Prefetcher(store: store, key: "dc/file", size: Int64(data.count), etag: etag, configuration: config, cache: c)
            defer { p.close() }
            var out = Data()
            while true {
                let piece = try await p.read(offset: Int64(out.count), size: 128 << 10)
                if piece.isEmpty { return out }
                out.append(piece)
            }
        }
        #expect(try await readAll(etag) == Data(data))
        #expect(c.counters.written == 4)
        try server.resetStats()
        #expect(try await readAll(etag) == Data(data))
        #expect(try server.stats()["GetObject", default: 0] == 0)
        let replaced = Data(data.reversed())
        let etag2 = try await store.putObject("dc/file", body: .bytes(replaced), options: WriteOptions())
        #expect(etag2 != etag)
        #expect(try await readAll(etag2) == replaced)
        #expect(try server.stats()["GetObject", default: 0] > 0)
    }
}
