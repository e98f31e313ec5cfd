import Foundation
import Testing
import OSSClient
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// What only the server can tell about the data path: its own request counters (the scenarios over
/// both backends are in `DataPathContractTests`).
@Suite struct DataPathServerTests {
    let server: ServerProcess
    let scenarios: DataPathScenarios

    init() throws {
        let fixture = try DataPathFixture(.server)
        server = try #require(fixture.server)
        scenarios = fixture.scenarios
    }

    /// The server itself saw a multipart upload of the planned parts, and large sequential reads as
    /// a few ranged GETs.
    @Test func serverSeesPlannedPartsAndLargeRangedGets() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let config = MountConfiguration(parallelism: 8, multipartThreshold: 4 << 20, partSize: 1 << 20,
                                        maxPrefetchBytes: 64 << 20, stagingDirectory: staging.path)
        let data = DataPathScenarios.source.prefix((9 << 20) + 77)
        let file = try StagedFile(store: scenarios.store, key: "dp/counted", configuration: config, initialSize: 0, loadExisting: false)
        _ = try await file.write(offset: 0, data: data)
        try server.resetStats()
        _ = try await file.upload(options: WriteOptions())
        file.discard()
        let stats = try server.stats()
        #expect(stats["UploadPart"] == 10)
        #expect(stats["CompleteMultipartUpload"] == 1)
        #expect(stats["PutObject", default: 0] == 0)

        let etag = try await scenarios.etag("dp/counted")
        try server.resetStats()
        let prefetcher = Prefetcher(store: scenarios.store, key: "dp/counted", size: Int64(data.count), etag: etag, configuration: config)
        defer { prefetcher.close() }
        var offset = 0
        while offset < data.count {
            let chunk = try await prefetcher.read(offset: Int64(offset), size: 128 << 10)
            #expect(chunk == data[(data.startIndex + offset)..<min(data.endIndex, data.startIndex + offset + (128 << 10))])
            offset += 128 << 10
        }
        let gets = try server.stats()["GetObject", default: 0]
        #expect(gets > 0 && gets <= 6, "GETs: \(gets) for 9 MiB")
    }
}
