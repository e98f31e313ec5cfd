import Foundation
import Testing
import OSSProtocol
@testable import OSSFileSystem

/// Streaming multipart (`StagedFile.enableBackgroundUpload`) behaviours, run against every backend.
extension DataPathScenarios {
    /// Waits (bounded, to avoid a hang; never a timing assertion) until `condition` holds.
    private func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<2000 {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return condition()
    }

    private func writeSequentially(_ file: StagedFile, _ data: Data, step: Int = 256 << 10) async throws {
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + step)
            _ = try await file.write(offset: Int64(offset), data: data[offset..<end])
            offset = end
        }
    }

    func backgroundPartsAreReusedByTheFinalUpload() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "streaming"
        let data = Data(Self.source.prefix((10 << 20) + 12345))
        let config = configuration(staging, threshold: 2 << 20, partSize: 1 << 20)
        let options = WriteOptions(userMetadata: ["mode": "33188"])
        store.reset()
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        file.enableBackgroundUpload(options: options)
        #expect(file.backgroundUploadOptions == nil)   // nothing started yet
        try await writeSequentially(file, data)
        // Parts 1...10 are behind the writer: they go up before the handle is flushed.
        #expect(await eventually { store.requests(.uploadPart) >= 10 })
        #expect(store.requests(.completeMultipartUpload) == 0)
        #expect(file.backgroundUploadOptions == options)
        _ = try await file.upload(options: options)
        #expect(store.requests(.initiateMultipartUpload) == 1)
        #expect(store.requests(.uploadPart) == 11)   // only the last part was left for the final upload
        #expect(store.requests(.completeMultipartUpload) == 1)
        #expect(store.requests(.abortMultipartUpload) == 0)
        #expect(file.backgroundUploadOptions == nil)   // taken over by the final upload
        #expect(try await store.base.getObject(key, range: nil) == data)
        #expect(try await store.base.headObject(key).userMetadata["mode"] == "33188")
        if let openUploads { #expect(try await openUploads() == 0) }
        file.discard()
        #expect(try staging.entries().isEmpty)
    }

    func aPartRewrittenAfterItsUploadIsSentAgain() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "streaming-rewrite"
        var model = Data(Self.source.prefix(6 << 20))
        let config = configuration(staging, threshold: 2 << 20, partSize: 1 << 20)
        store.reset()
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        defer { file.discard() }
        file.enableBackgroundUpload(options: WriteOptions())
        try await writeSequentially(file, model)
        #expect(await eventually { store.requests(.uploadPart) >= 5 })
        let patch = Data(repeating: 0xAB, count: 4096)
        _ = try await file.write(offset: (2 << 20) + 100, data: patch)
        model.replaceSubrange(((2 << 20) + 100)..<((2 << 20) + 100 + 4096), with: patch)
        _ = try await file.upload(options: WriteOptions())
        #expect(try await store.base.getObject(key, range: nil) == model)
        #expect(store.requests(.uploadPart) == 7)   // 5 early, then part 3 again and part 6
    }

    func otherFinalOptionsAbortTheBackgroundUpload() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "streaming-options"
        let data = Data(Self.source.prefix(4 << 20))
        let config = configuration(staging, threshold: 2 << 20, partSize: 1 << 20)
        store.reset()
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        defer { file.discard() }
        file.enableBackgroundUpload(options: WriteOptions(userMetadata: ["mtime": "1"]))
        try await writeSequentially(file, data)
        #expect(await eventually { store.requests(.uploadPart) >= 3 })
        _ = try await file.upload(options: WriteOptions(userMetadata: ["mtime": "2"]))
        #expect(store.requests(.abortMultipartUpload) == 1)
        #expect(store.requests(.initiateMultipartUpload) == 2)
        #expect(store.requests(.completeMultipartUpload) == 1)
        #expect(try await store.base.getObject(key, range: nil) == data)
        #expect(try await store.base.headObject(key).userMetadata["mtime"] == "2")
        if let openUploads { #expect(try await openUploads() == 0) }
    }

    func truncatedBelowTheThresholdUsesPutObject() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "streaming-truncate"
        let config = configuration(staging, threshold: 2 << 20, partSize: 1 << 20)
        store.reset()
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: 0, loadExisting: false)
        defer { file.discard() }
        file.enableBackgroundUpload(options: WriteOptions())
        try await writeSequentially(file, Data(Self.source.prefix(4 << 20)))
        #expect(await eventually { store.requests(.uploadPart) >= 3 })
        try await file.truncate(to: 1000)
        _ = try await file.upload(options: WriteOptions())
        #expect(store.requests(.abortMultipartUpload) == 1)
        #expect(store.requests(.putObject) == 1)
        #expect(store.requests(.completeMultipartUpload) == 0)
        #expect(try await store.base.getObject(key, range: nil) == Self.source.prefix(1000))
    }

    /// `cp new existing`: the handle opens the existing object (its bytes not loaded), the kernel
    /// truncates it to 0, then the writer streams from 0: parts go up before the flush, nothing of
    /// the old object is downloaded, and the result is exactly the new bytes.
    func replacingAnObjectAfterTruncationToZeroStreams() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let key = prefix + "streaming-replace"
        let old = Data(Self.source.suffix(5 << 20))
        try await store.base.putObject(key, body: .bytes(old), options: WriteOptions())
        let data = Data(Self.source.prefix((6 << 20) + 99))
        let config = configuration(staging, threshold: 2 << 20, partSize: 1 << 20)
        let options = WriteOptions()
        store.reset()
        let file = try StagedFile(store: store, key: key, configuration: config, initialSize: Int64(old.count), loadExisting: true)
        file.enableBackgroundUpload(options: options)
        try await file.truncate(to: 0)
        try await writeSequentially(file, data)
        #expect(await eventually { store.requests(.uploadPart) >= 6 })
        #expect(store.requests(.completeMultipartUpload) == 0)
        _ = try await file.upload(options: options)
        #expect(store.requests(.uploadPart) == 7)   // parts 1...6 in the background, the last one at flush
        #expect(store.requests(.getObject) == 0)
        #expect(try await store.base.getObject(key, range: nil) == data)
        file.discard()
    }
}
