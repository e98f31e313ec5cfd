import Foundation
import Testing
import OSSProtocol
import TestSupport
@testable import OSSFileSystem

/// A full staging disk is `ENOSPC` for the write that does not fit, loses nothing already staged,
/// and leaves nothing behind. Runs on a 1 MiB tmpfs mounted for the test (the tests run as root,
/// as the FUSE mount tests do).
@Suite struct DataPathStagingSpaceTests {
    private func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", arguments.joined(separator: " ") + " 2>&1"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aFullStagingDiskIsENOSPCAndLosesNothing() async throws {
        let staging = try DataPathStagingDirectory(); defer { staging.remove() }
        #expect(try run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", staging.path]) == 0, "mounting a 1 MiB tmpfs needs root")
        defer { _ = try? run(["umount", "--lazy", staging.path]) }   // lazy: never leave it mounted
        let memory = InMemoryObjectStore()
        let config = MountConfiguration(stagingDirectory: staging.path)
        let file = try StagedFile(store: memory, key: "k", configuration: config, initialSize: 0, loadExisting: false)
        let head = Data(repeating: 7, count: 512 << 10)
        _ = try await file.write(offset: 0, data: head)
        await #expect(throws: FSError(ENOSPC)) { _ = try await file.write(offset: 512 << 10, data: Data(count: 2 << 20)) }
        // Past the free-space check (only 512 KiB more than the size), a write into a hole fills
        // the disk part way: ENOSPC, the size is unchanged, and nothing shows past it.
        try await file.truncate(to: 1 << 20)
        await #expect(throws: FSError(ENOSPC)) {
            _ = try await file.write(offset: 700 << 10, data: Data(repeating: 9, count: 800 << 10))
        }
        #expect(file.size == 1 << 20)
        try await file.truncate(to: 1536 << 10)
        let extended = try await file.read(offset: 1 << 20, size: 1 << 20)
        #expect(extended == Data(count: 512 << 10))
        #expect(try await file.read(offset: 0, size: head.count) == head)
        _ = try await file.upload(options: WriteOptions())
        let stored = try await memory.getObject("k", range: nil)
        #expect(stored.count == 1536 << 10)
        #expect(stored.prefix(head.count) == head)
        #expect(stored.suffix(512 << 10) == Data(count: 512 << 10))
        file.discard()

        // Keeping an existing object that cannot fit is refused before anything is downloaded.
        try await memory.putObject("big", body: .bytes(Data(count: 3 << 20)), options: WriteOptions())
        let big = try StagedFile(store: memory, key: "big", configuration: config, initialSize: 3 << 20, loadExisting: true)
        await #expect(throws: FSError(ENOSPC)) { _ = try await big.write(offset: 10, data: Data([1])) }
        big.discard()
        #expect(try staging.entries().isEmpty)
        #expect(staging.openDescriptors().isEmpty)
    }
}
