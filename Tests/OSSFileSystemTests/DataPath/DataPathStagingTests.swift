import Foundation
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// Staging-file facts (the scenarios over both backends are in `DataPathContractTests`).
@Suite struct DataPathStagingTests {
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
