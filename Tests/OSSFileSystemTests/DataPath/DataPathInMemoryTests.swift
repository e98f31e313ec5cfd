import Foundation
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// The data-path behaviours over the in-memory store (fast; the same scenarios run over HTTP in
/// `DataPathServerTests`).
@Suite struct DataPathInMemoryTests {
    let scenarios: DataPathScenarios = {
        let memory = InMemoryObjectStore()
        return DataPathScenarios(store: DataPathRecordingStore(memory), prefix: "dp/", openUploads: { await memory.openUploadCount })
    }()

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

    @Test func stagingInAMissingDirectoryFailsWithItsErrno() {
        let config = MountConfiguration(stagingDirectory: "/nonexistent/ossfuse-staging")
        #expect(throws: FSError(ENOENT)) {
            _ = try StagedFile(store: InMemoryObjectStore(), key: "k", configuration: config, initialSize: 0, loadExisting: false)
        }
    }

    @Test func stagingFileIsPrivateWhileOpen() throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        let file = try StagingFileDescriptor(directory: staging.path)
        var info = stat()
        #expect(fstat(file.fd, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_nlink == 0)   // unlinked at once
        #expect(staging.openDescriptors().count == 1)
    }
}

/// Streaming multipart over the in-memory store.
@Suite struct DataPathStreamingInMemoryTests {
    let scenarios: DataPathScenarios = {
        let memory = InMemoryObjectStore()
        return DataPathScenarios(store: DataPathRecordingStore(memory), prefix: "dp/", openUploads: { await memory.openUploadCount })
    }()

    @Test func backgroundPartsAreReusedByTheFinalUpload() async throws { try await scenarios.backgroundPartsAreReusedByTheFinalUpload() }
    @Test func aPartRewrittenAfterItsUploadIsSentAgain() async throws { try await scenarios.aPartRewrittenAfterItsUploadIsSentAgain() }
    @Test func otherFinalOptionsAbortTheBackgroundUpload() async throws { try await scenarios.otherFinalOptionsAbortTheBackgroundUpload() }
    @Test func truncatedBelowTheThresholdUsesPutObject() async throws { try await scenarios.truncatedBelowTheThresholdUsesPutObject() }
}
