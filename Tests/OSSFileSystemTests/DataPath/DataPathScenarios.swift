import Foundation
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// Behaviours of `Prefetcher` and `StagedFile`, written once and run against every store backend
/// (the in-memory store and the real server over HTTP).
struct DataPathScenarios {
    let store: DataPathRecordingStore
    let prefix: String
    /// Multipart uploads neither completed nor aborted, where the backend can tell.
    var openUploads: (@Sendable () async throws -> Int)? = nil

    static let source: Data = {
        var rng = SeededGenerator(seed: 2026)
        return Data(rng.bytes(40 << 20))
    }()

    func configuration(_ staging: DataPathStagingDirectory, threshold: Int64 = 32 << 20, partSize: Int64 = 16 << 20) -> MountConfiguration {
        MountConfiguration(parallelism: 8, multipartThreshold: threshold, partSize: partSize,
                           maxPrefetchBytes: 64 << 20, stagingDirectory: staging.path)
    }

    func putSource(_ name: String, _ data: Data = Self.source) async throws -> String {
        let key = prefix + name
        try await store.base.putObject(key, body: .bytes(data), options: WriteOptions())
        return key
    }

    // MARK: Prefetcher

    func sequentialReadsMatchTheSource(step: Int) async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("seq-\(step)")
        store.resetCounts()
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), configuration: configuration(staging))
        defer { prefetcher.close() }
        var offset = 0
        var reads = 0
        while offset < Self.source.count {
            let data = try await prefetcher.read(offset: Int64(offset), size: step)
            #expect(data == Self.source[offset..<min(Self.source.count, offset + step)], "read at \(offset)")
            offset += step
            reads += 1
        }
        #expect(try await prefetcher.read(offset: Int64(offset), size: step).isEmpty)
        // Large GETs decoupled from the read size: far fewer requests than reads.
        #expect(store.count("GetObject") * 4 < reads, "GETs \(store.count("GetObject")) for \(reads) reads")
    }

    func randomReadsMatchTheSource() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("random")
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), configuration: configuration(staging))
        defer { prefetcher.close() }
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<150 {
            let offset = Int(rng.next() % UInt64(Self.source.count + 1000))
            let size = Int(rng.next() % (3 << 20))
            let data = try await prefetcher.read(offset: Int64(offset), size: size)
            let expected = offset >= Self.source.count ? Data() : Self.source[offset..<min(Self.source.count, offset + size)]
            #expect(data == expected, "read \(size) at \(offset)")
        }
    }

    /// Sequential runs of varied read sizes, seeks, short steps back and forth, as real programs mix
    /// them; every answer compared with the source.
    func mixedAccessMatchesTheSource() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("mixed")
        var config = configuration(staging)
        config.maxPrefetchBytes = 12 << 20
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), configuration: config)
        defer { prefetcher.close() }
        var rng = SeededGenerator(seed: 77)
        var offset = 0
        for _ in 0..<400 {
            switch rng.next() % 8 {
            case 0: offset = Int(rng.next() % UInt64(Self.source.count))
            case 1: offset = max(0, offset - Int(rng.next() % (1 << 20)))
            case 2: offset += Int(rng.next() % (1 << 20))
            default: break
            }
            let size = [4096, 128 << 10, 1 << 20, Int(rng.next() % (2 << 20)) + 1][Int(rng.next() % 4)]
            let data = try await prefetcher.read(offset: Int64(offset), size: size)
            let expected = offset >= Self.source.count ? Data() : Self.source[offset..<min(Self.source.count, offset + size)]
            #expect(data == expected, "read \(size) at \(offset)")
            offset = offset + size >= Self.source.count ? 0 : offset + size
        }
    }

    func concurrentReorderedReadsMatchTheSource() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("concurrent")
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), configuration: configuration(staging))
        defer { prefetcher.close() }
        let step = 256 << 10
        // Batches of 4 reads in flight at once, as the kernel's async readahead sends them.
        for batch in stride(from: 0, to: Self.source.count, by: 4 * step) {
            try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                for offset in stride(from: batch, to: min(Self.source.count, batch + 4 * step), by: step).reversed() {
                    group.addTask { (offset, try await prefetcher.read(offset: Int64(offset), size: step)) }
                }
                for try await (offset, data) in group {
                    #expect(data == Self.source[offset..<min(Self.source.count, offset + step)], "read at \(offset)")
                }
            }
        }
    }

    func readsAtTheEndOfTheObject() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let small = Data(Self.source.prefix(1000))
        let key = try await putSource("eof", small)
        let prefetcher = Prefetcher(store: store, key: key, size: 1000, configuration: configuration(staging))
        #expect(try await prefetcher.read(offset: 990, size: 4096) == small[990..<1000])
        #expect(try await prefetcher.read(offset: 1000, size: 4096).isEmpty)
        #expect(try await prefetcher.read(offset: 1 << 30, size: 4096).isEmpty)
        #expect(try await prefetcher.read(offset: 0, size: 1000) == small)
        prefetcher.close()
        await #expect(throws: FSError(EBADF)) { try await prefetcher.read(offset: 0, size: 10) }

        let emptyKey = try await putSource("empty", Data())
        store.resetCounts()
        let empty = Prefetcher(store: store, key: emptyKey, size: 0, configuration: configuration(staging))
        #expect(try await empty.read(offset: 0, size: 4096).isEmpty)
        #expect(store.count("GetObject") == 0)
    }

    func aFailedGetIsReportedAndRetried() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("fail-get")
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), configuration: configuration(staging))
        defer { prefetcher.close() }
        store.failGets(true)
        await #expect(throws: TransportError.self) { try await prefetcher.read(offset: 0, size: 128 << 10) }
        store.failGets(false)
        #expect(try await prefetcher.read(offset: 0, size: 128 << 10) == Self.source[0..<(128 << 10)])
        #expect(try await prefetcher.read(offset: 128 << 10, size: 128 << 10) == Self.source[(128 << 10)..<(256 << 10)])
    }
}
