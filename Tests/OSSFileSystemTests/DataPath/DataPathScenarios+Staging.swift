import Foundation
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// `StagedFile` behaviours, run against every backend.
extension DataPathScenarios {
    private func object(_ key: String) async throws -> Data { try await store.base.getObject(key, range: nil) }

    /// Nothing left in the staging directory, no descriptor open on it.
    private func expectNothingLeft(_ staging: DataPathStagingDirectory) throws {
        #expect(try staging.entries().isEmpty)
        #expect(staging.openDescriptors().isEmpty)
    }

    func randomWritesMatchAModel(multipart: Bool) async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "random-writes-\(multipart)"
        let config = configuration(staging, threshold: multipart ? 1 << 20 : 64 << 20, partSize: 512 << 10)
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        #expect(file.isDirty)
        #expect(try staging.entries().isEmpty)   // anonymous from the start
        var model = [UInt8]()
        var rng = SeededGenerator(seed: multipart ? 1 : 2)
        for step in 0..<300 {
            let offset = Int(rng.next() % (6 << 20))
            let bytes = rng.bytes(Int(rng.next() % (200 << 10)) + 1)
            #expect(try await file.write(offset: Int64(offset), data: Data(bytes)) == bytes.count)
            if model.count < offset + bytes.count { model += [UInt8](repeating: 0, count: offset + bytes.count - model.count) }
            model.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
            #expect(file.size == Int64(model.count))
            if step % 10 == 0 {
                let readAt = Int(rng.next() % UInt64(model.count + 100))
                let got = try await file.read(offset: Int64(readAt), size: 300 << 10)
                let expected = readAt >= model.count ? [] : Array(model[readAt..<min(model.count, readAt + (300 << 10))])
                #expect(Array(got) == expected, "read at \(readAt)")
            }
        }
        store.reset()
        _ = try await file.upload(options: WriteOptions())
        #expect(!file.isDirty)
        #expect(try await object(key) == Data(model))
        if multipart {
            #expect(store.requests(.putObject) == 0)
            #expect(store.requests(.uploadPart) == MultipartPlan(size: Int64(model.count), preferredPartSize: 512 << 10).partCount)
            #expect(store.requests(.completeMultipartUpload) == 1)
        } else {
            #expect(store.requests(.putObject) == 1)
            #expect(store.requests(.uploadPart) == 0)
        }
        file.discard()
        try expectNothingLeft(staging)
    }

    func truncateShrinksAndExtendsWithZeros() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "truncate"
        let file = try StagedFile(store: store, key: key, configuration: configuration(staging), initialSize: 0, loadExisting: false)
        defer { file.discard() }
        let head = Data(Self.source.prefix(1 << 20))
        _ = try await file.write(offset: 0, data: head)
        try await file.truncate(to: 100)
        #expect(file.size == 100)
        #expect(try await file.read(offset: 0, size: 1 << 20) == head.prefix(100))
        try await file.truncate(to: 300_000)
        let expected = head.prefix(100) + Data(count: 300_000 - 100)
        #expect(try await file.read(offset: 0, size: 1 << 20) == expected)
        _ = try await file.upload(options: WriteOptions())
        #expect(try await object(key) == expected)
        try await file.truncate(to: 300_000)
        #expect(!file.isDirty)   // same size: no change
        try await file.truncate(to: 0)
        #expect(file.isDirty)
        _ = try await file.upload(options: WriteOptions())
        #expect(try await object(key).isEmpty)
        await #expect(throws: FSError(EINVAL)) { try await file.truncate(to: -1) }
    }

    func loadExistingPreservesContent() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let original = Data(Self.source.prefix(20 << 20))
        let key = try await putSource("load-existing", original)
        let config = configuration(staging, threshold: 8 << 20, partSize: 4 << 20)
        store.reset()
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: Int64(original.count), loadExisting: true)
        #expect(!file.isDirty)
        #expect(store.requests(.getObject) == 0)   // lazy
        // Reading before any write asks for the bytes read, not the whole object.
        #expect(try await file.read(offset: 3 << 20, size: 4096) == original[(3 << 20)..<((3 << 20) + 4096)])
        #expect(try await file.read(offset: Int64(original.count) - 10, size: 4096) == original.suffix(10))
        #expect(store.requests(.getObject) == 2)
        let patch = Data("hello, staged world".utf8)
        _ = try await file.write(offset: 5 << 20, data: patch)
        #expect(file.isDirty)
        #expect(store.requests(.getObject) >= 3)   // 20 MiB in parallel ranged GETs, not one
        var expected = original
        expected.replaceSubrange((5 << 20)..<((5 << 20) + patch.count), with: patch)
        #expect(try await file.read(offset: 0, size: original.count + 10) == expected)
        _ = try await file.upload(options: WriteOptions())
        #expect(try await object(key) == expected)
        #expect(store.requests(.uploadPart) == 5)
        file.discard()
        try expectNothingLeft(staging)
    }

    func loadExistingOnlyWhenNeeded() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let original = Data(Self.source.prefix(3 << 20))
        let key = try await putSource("load-lazy", original)
        store.reset()
        // A write covering the whole object needs none of its bytes.
        let replaced = try StagedFile(store: store, key: key, configuration: configuration(staging),
                                      initialSize: Int64(original.count), loadExisting: true)
        let fresh = Data(Self.source.suffix(4 << 20))
        _ = try await replaced.write(offset: 0, data: fresh)
        _ = try await replaced.upload(options: WriteOptions())
        replaced.discard()
        #expect(store.requests(.getObject) == 0)
        #expect(try await object(key) == fresh)

        // Shrinking before anything is loaded keeps the head; reading loads it.
        let shrunk = try StagedFile(store: store, key: key, configuration: configuration(staging),
                                    initialSize: Int64(fresh.count), loadExisting: true)
        try await shrunk.truncate(to: 1000)
        try await shrunk.truncate(to: 2000)
        #expect(try await shrunk.read(offset: 0, size: 4000) == fresh.prefix(1000) + Data(count: 1000))
        _ = try await shrunk.upload(options: WriteOptions())
        shrunk.discard()
        #expect(try await object(key) == fresh.prefix(1000) + Data(count: 1000))
        try expectNothingLeft(staging)
    }

    func failedMultipartUploadAbortsAndKeepsThePreviousObject() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let previous = Data(Self.source.prefix(1 << 20))
        let key = try await putSource("fail-upload", previous)
        let config = configuration(staging, threshold: 1 << 20, partSize: 1 << 20)
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        _ = try await file.write(offset: 0, data: Self.source.prefix(5 << 20))
        store.reset()
        store.failUploadParts([3])
        defer { store.failUploadParts([]) }
        await #expect(throws: RecordingObjectStore.injected) { try await file.upload(options: WriteOptions()) }
        #expect(file.isDirty)
        #expect(store.requests(.initiateMultipartUpload) == 1)
        #expect(store.requests(.uploadPart) >= 1)
        #expect(store.requests(.completeMultipartUpload) == 0)
        #expect(store.requests(.abortMultipartUpload) == 1)
        #expect(try await object(key) == previous)
        if let openUploads { #expect(try await openUploads() == 0) }
        // The handle still holds the data: once the fault is gone, the upload succeeds.
        store.failUploadParts([])
        _ = try await file.upload(options: WriteOptions())
        #expect(try await object(key) == Self.source.prefix(5 << 20))
        file.discard()
        try expectNothingLeft(staging)
        await #expect(throws: FSError(EBADF)) { try await file.read(offset: 0, size: 1) }
        await #expect(throws: FSError(EBADF)) { _ = try await file.write(offset: 0, data: Data([1])) }
    }

    func failedUploadThenDiscardLeavesNothing() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "fail-discard"
        let config = configuration(staging, threshold: 1 << 20, partSize: 1 << 20)
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        _ = try await file.write(offset: 0, data: Self.source.prefix(3 << 20))
        store.failUploadParts([1, 2, 3])
        defer { store.failUploadParts([]) }
        await #expect(throws: RecordingObjectStore.injected) { try await file.upload(options: WriteOptions()) }
        file.discard()
        try expectNothingLeft(staging)
        await #expect(throws: OSSError.self) { try await store.base.headObject(key) }
        if let openUploads { #expect(try await openUploads() == 0) }
    }
}
