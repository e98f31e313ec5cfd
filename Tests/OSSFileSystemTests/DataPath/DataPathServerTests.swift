import Foundation
import Testing
import OSSClient
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// The data-path behaviours over HTTP: `OSSClient` talking to a real `ossfuse-server` child process
/// (one per test, stopped when the test ends).
@Suite struct DataPathServerTests {
    let server: ServerProcess
    let scenarios: DataPathScenarios

    init() throws {
        server = try ServerProcess(buckets: ["datapath"])
        let configuration = ClientConfiguration(endpoint: server.endpoint, bucket: "datapath",
                                                credentials: Credentials(accessKeyId: server.accessKeyId,
                                                                         accessKeySecret: server.accessKeySecret))
        scenarios = DataPathScenarios(store: DataPathRecordingStore(try OSSClient(configuration: configuration)), prefix: "dp/")
    }

    @Test func sequentialKernelSizedReadsMatchTheSource() async throws { try await scenarios.sequentialReadsMatchTheSource(step: 128 << 10) }
    @Test func sequentialMegabyteReadsMatchTheSource() async throws { try await scenarios.sequentialReadsMatchTheSource(step: 1 << 20) }
    @Test func randomReadsMatchTheSource() async throws { try await scenarios.randomReadsMatchTheSource() }
    @Test func mixedAccessMatchesTheSource() async throws { try await scenarios.mixedAccessMatchesTheSource() }
    @Test func concurrentReorderedReadsMatchTheSource() async throws { try await scenarios.concurrentReorderedReadsMatchTheSource() }
    @Test func readsAtTheEndOfTheObject() async throws { try await scenarios.readsAtTheEndOfTheObject() }
    @Test func aFailedGetIsReportedAndRetried() async throws { try await scenarios.aFailedGetIsReportedAndRetried() }
    @Test func randomWritesMatchAModelWithPutObject() async throws { try await scenarios.randomWritesMatchAModel(multipart: false) }
    @Test func randomWritesMatchAModelWithMultipart() async throws { try await scenarios.randomWritesMatchAModel(multipart: true) }
    @Test func truncateShrinksAndExtendsWithZeros() async throws { try await scenarios.truncateShrinksAndExtendsWithZeros() }
    @Test func loadExistingPreservesContent() async throws { try await scenarios.loadExistingPreservesContent() }
    @Test func loadExistingOnlyWhenNeeded() async throws { try await scenarios.loadExistingOnlyWhenNeeded() }
    @Test func failedMultipartUploadAbortsAndKeepsThePreviousObject() async throws {
        try await scenarios.failedMultipartUploadAbortsAndKeepsThePreviousObject()
    }
    @Test func failedUploadThenDiscardLeavesNothing() async throws { try await scenarios.failedUploadThenDiscardLeavesNothing() }
    @Test func backgroundPartsAreReusedByTheFinalUpload() async throws { try await scenarios.backgroundPartsAreReusedByTheFinalUpload() }
    @Test func aPartRewrittenAfterItsUploadIsSentAgain() async throws { try await scenarios.aPartRewrittenAfterItsUploadIsSentAgain() }
    @Test func otherFinalOptionsAbortTheBackgroundUpload() async throws { try await scenarios.otherFinalOptionsAbortTheBackgroundUpload() }
    @Test func truncatedBelowTheThresholdUsesPutObject() async throws { try await scenarios.truncatedBelowTheThresholdUsesPutObject() }

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

        try server.resetStats()
        let prefetcher = Prefetcher(store: scenarios.store, key: "dp/counted", size: Int64(data.count), configuration: config)
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
