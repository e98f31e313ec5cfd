import Foundation
import Testing
import OSSClient
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// The data-path scenarios over one backend. Holds the server process (if any) for as long as the
/// fixture lives; `run` keeps the fixture alive while a scenario runs.
final class DataPathFixture {
    let scenarios: DataPathScenarios
    let server: ServerProcess?

    init(_ backend: Backend) throws {
        switch backend {
        case .memory:
            let memory = InMemoryObjectStore()
            server = nil
            scenarios = DataPathScenarios(store: RecordingObjectStore(memory), prefix: "dp/",
                                          openUploads: { await memory.openUploadCount })
        case .server:
            let server = try ServerProcess(buckets: ["datapath"])
            let configuration = ClientConfiguration(endpoint: server.endpoint, bucket: "datapath",
                                                    credentials: Credentials(accessKeyId: server.accessKeyId,
                                                                             accessKeySecret: server.accessKeySecret))
            self.server = server
            scenarios = DataPathScenarios(store: RecordingObjectStore(try OSSClient(configuration: configuration)), prefix: "dp/")
        }
    }

    func run(_ scenario: (DataPathScenarios) async throws -> Void) async throws {
        try await scenario(scenarios)
    }
}

/// Every data-path behaviour over the in-memory store (fast) and over HTTP, `OSSClient` talking to
/// a real `ossfuse-server` child process (one per test, stopped when the test ends).
@Suite struct DataPathContractTests {
    static let backends = Backend.allCases

    @Test(arguments: backends) func sequentialKernelSizedReadsMatchTheSource(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.sequentialReadsMatchTheSource(step: 128 << 10) }
    }
    @Test(arguments: backends) func sequentialMegabyteReadsMatchTheSource(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.sequentialReadsMatchTheSource(step: 1 << 20) }
    }
    @Test(arguments: backends) func aReadNeedsOnlyTheArrivedBytesOfAChunk(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.aReadNeedsOnlyTheArrivedBytesOfAChunk() }
    }
    @Test(arguments: backends) func randomReadsMatchTheSource(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.randomReadsMatchTheSource() }
    }
    @Test(arguments: backends) func mixedAccessMatchesTheSource(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.mixedAccessMatchesTheSource() }
    }
    @Test(arguments: backends) func concurrentReorderedReadsMatchTheSource(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.concurrentReorderedReadsMatchTheSource() }
    }
    @Test(arguments: backends) func readsAtTheEndOfTheObject(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.readsAtTheEndOfTheObject() }
    }
    @Test(arguments: backends) func aFailedGetIsReportedAndRetried(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.aFailedGetIsReportedAndRetried() }
    }
    @Test(arguments: backends) func randomWritesMatchAModelWithPutObject(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.randomWritesMatchAModel(multipart: false) }
    }
    @Test(arguments: backends) func randomWritesMatchAModelWithMultipart(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.randomWritesMatchAModel(multipart: true) }
    }
    @Test(arguments: backends) func truncateShrinksAndExtendsWithZeros(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.truncateShrinksAndExtendsWithZeros() }
    }
    @Test(arguments: backends) func loadExistingPreservesContent(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.loadExistingPreservesContent() }
    }
    @Test(arguments: backends) func loadExistingOnlyWhenNeeded(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.loadExistingOnlyWhenNeeded() }
    }
    @Test(arguments: backends) func failedMultipartUploadAbortsAndKeepsThePreviousObject(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.failedMultipartUploadAbortsAndKeepsThePreviousObject() }
    }
    @Test(arguments: backends) func failedUploadThenDiscardLeavesNothing(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.failedUploadThenDiscardLeavesNothing() }
    }

    // Streaming multipart (parts a sequential writer has passed upload in the background).
    @Test(arguments: backends) func backgroundPartsAreReusedByTheFinalUpload(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.backgroundPartsAreReusedByTheFinalUpload() }
    }
    @Test(arguments: backends) func aPartRewrittenAfterItsUploadIsSentAgain(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.aPartRewrittenAfterItsUploadIsSentAgain() }
    }
    @Test(arguments: backends) func otherFinalOptionsAbortTheBackgroundUpload(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.otherFinalOptionsAbortTheBackgroundUpload() }
    }
    @Test(arguments: backends) func truncatedBelowTheThresholdUsesPutObject(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.truncatedBelowTheThresholdUsesPutObject() }
    }
    @Test(arguments: backends) func replacingAnObjectAfterTruncationToZeroStreams(_ b: Backend) async throws {
        try await DataPathFixture(b).run { try await $0.replacingAnObjectAfterTruncationToZeroStreams() }
    }
}
