import Foundation
import Synchronization
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// Behaviours of `Prefetcher` and `StagedFile`, written once and run against every store backend
/// (the in-memory store and the real server over HTTP).
struct DataPathScenarios {
    let store: RecordingObjectStore
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

    /// The ETag of `key` now: prefetchers read that version only.
    func etag(_ key: String) async throws -> String { try await store.base.headObject(key).etag }

    func putSource(_ name: String, _ data: Data = Self.source) async throws -> String {
        let key = prefix + name
        try await store.base.putObject(key, body: .bytes(data), options: WriteOptions())
        return key
    }

    // MARK: Prefetcher

    func sequentialReadsMatchTheSource(step: Int) async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("seq-\(step)")
        store.reset()
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), etag: try await etag(key), configuration: configuration(staging))
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
        #expect(store.requests(.getObject) * 4 < reads, "GETs \(store.requests(.getObject)) for \(reads) reads")
    }

    /// A read waits only for the bytes it needs of a chunk, not for the chunk's whole GET: with every
    /// GET held after its first 512 KiB, reads of the first 256 KiB (waiting as they arrive) and of
    /// the next 256 KiB (asked once they are there) are answered from the 1 MiB first chunk; a read
    /// reaching past 512 KiB is answered once the GET goes on.
    func aReadNeedsOnlyTheArrivedBytesOfAChunk() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("arriving")
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), etag: try await etag(key), configuration: configuration(staging))
        defer { prefetcher.close() }
        store.holdGets(after: 512 << 10)
        defer { store.releaseHeldGets() }
        // A liveness bound, not a speed limit: without streaming these reads would wait for ever.
        let deadline = Date().addingTimeInterval(60)
        func answeredWhileHeld(_ offset: Int, _ size: Int) async throws -> Bool {
            let answer = Mutex<Data?>(nil)
            let read = Task { let data = try await prefetcher.read(offset: Int64(offset), size: size); answer.withLock { $0 = data } }
            while answer.withLock({ $0 == nil }) && Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
            guard let data = answer.withLock({ $0 }) else { read.cancel(); return false }
            #expect(data == Self.source[offset..<(offset + size)], "read \(size) at \(offset)")
            return store.heldGets > 0
        }
        #expect(try await answeredWhileHeld(0, 256 << 10), "answered as its bytes arrive, the GET still held")
        #expect(try await answeredWhileHeld(256 << 10, 256 << 10), "answered from bytes already there")
        let rest = Task { try await prefetcher.read(offset: 512 << 10, size: 512 << 10) }
        store.releaseHeldGets()
        #expect(try await rest.value == Self.source[(512 << 10)..<(1 << 20)])
    }

    func randomReadsMatchTheSource() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("random")
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), etag: try await etag(key), configuration: configuration(staging))
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
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), etag: try await etag(key), configuration: config)
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
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), etag: try await etag(key), configuration: configuration(staging))
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
        let prefetcher = Prefetcher(store: store, key: key, size: 1000, etag: try await etag(key), configuration: configuration(staging))
        #expect(try await prefetcher.read(offset: 990, size: 4096) == small[990..<1000])
        #expect(try await prefetcher.read(offset: 1000, size: 4096).isEmpty)
        #expect(try await prefetcher.read(offset: 1 << 30, size: 4096).isEmpty)
        #expect(try await prefetcher.read(offset: 0, size: 1000) == small)
        prefetcher.close()
        await #expect(throws: FSError(EBADF)) { try await prefetcher.read(offset: 0, size: 10) }

        let emptyKey = try await putSource("empty", Data())
        store.reset()
        let empty = Prefetcher(store: store, key: emptyKey, size: 0, etag: nil, configuration: configuration(staging))
        #expect(try await empty.read(offset: 0, size: 4096).isEmpty)
        #expect(store.requests(.getObject) == 0)
    }

    func aFailedGetIsReportedAndRetried() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = try await putSource("fail-get")
        let prefetcher = Prefetcher(store: store, key: key, size: Int64(Self.source.count), etag: try await etag(key), configuration: configuration(staging))
        defer { prefetcher.close() }
        store.failGets(true)
        await #expect(throws: TransportError.self) { try await prefetcher.read(offset: 0, size: 128 << 10) }
        store.failGets(false)
        #expect(try await prefetcher.read(offset: 0, size: 128 << 10) == Self.source[0..<(128 << 10)])
        #expect(try await prefetcher.read(offset: 128 << 10, size: 128 << 10) == Self.source[(128 << 10)..<(256 << 10)])
    }
}
