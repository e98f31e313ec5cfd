import Foundation
import OSSFileSystem
import OSSProtocol
import TestSupport
import Testing

/// Store failures become errno for the one operation they hit (in-memory store with injected faults).
@Suite struct StoreFailureTests {
    static func make() async throws -> (InMemoryObjectStore, OSSFileSystem, ManualClock) {
        let memory = InMemoryObjectStore()
        let clock = ManualClock()
        let fs = OSSFileSystem(store: memory, configuration: Harness.defaultConfiguration, clock: { clock.now })
        return (memory, fs, clock)
    }

    @Test func oneUnreadableLinkDoesNotFailTheListing() async throws {
        let (memory, fs, _) = try await Self.make()
        try await memory.putObject("f", body: .bytes(Data()), options: WriteOptions())
        try await memory.putSymlink("l1", target: "f", options: WriteOptions())
        try await memory.putSymlink("l2", target: "f", options: WriteOptions())
        await memory.injectFailure(.getSymlink, OSSError(httpStatus: 403, code: "AccessDenied", message: "no"))
        let handle = try await fs.opendir(1)
        let entries = try await fs.readdir(1, handle: handle, offset: 0, limit: 100, plus: true)
        #expect(entries.map(\.name) == [".", "..", "f", "l1", "l2"])
        #expect(entries.dropFirst(3).allSatisfy { $0.entry?.attributes.mode == UInt32(S_IFLNK) | 0o777 })
        // The link whose target could not be read asks again on readlink.
        for entry in entries.dropFirst(3) {
            #expect(try await fs.readlink(entry.entry!.attributes.ino) == "f")
        }
    }

    @Test func transportAndAccessErrorsMapToErrno() async throws {
        let (memory, fs, clock) = try await Self.make()
        // Objects, so that the lookups' probe listings find them and the HEADs fail.
        try await memory.putObject("x", body: .bytes(Data()), options: WriteOptions())
        try await memory.putObject("y", body: .bytes(Data()), options: WriteOptions())
        await memory.injectFailure(.headObject, TransportError(.timeout, "timed out"))
        #expect(await errnoOf { _ = try await fs.lookup(parent: 1, name: "x") } == EIO)
        clock.advance(10)
        await memory.injectFailure(.headObject, OSSError(httpStatus: 403, code: "AccessDenied", message: "no"))
        #expect(await errnoOf { _ = try await fs.lookup(parent: 1, name: "y") } == EACCES)
        await memory.injectFailure(.putSymlink, OSSError(httpStatus: 409, code: "FileAlreadyExists", message: "exists"))
        #expect(await errnoOf { _ = try await fs.symlink(parent: 1, name: "z", target: "t", context: CallerContext()) } == EEXIST)
        // (The misses above listed the root: let that listing expire.)
        clock.advance(3600)
        await memory.injectFailure(.listObjects, OSSError(httpStatus: 500, code: "InternalError", message: "boom"))
        let handle = try await fs.opendir(1)
        #expect(await errnoOf { _ = try await fs.readdir(1, handle: handle, offset: 0, limit: 10, plus: false) } == EIO)
        // Nothing failed is remembered: the next listing works.
        #expect(try await fs.readdir(1, handle: handle, offset: 0, limit: 10, plus: false).map(\.name) == [".", "..", "x", "y"])
    }

    /// Rewriting a legacy link (a time set on `ln -s /etc/hostname l`, as `cp -a` does) deletes it
    /// and appends it again: when that append fails, the link is written with PutObject instead,
    /// never left deleted (found by the reliability suite's faults scenario, `cp -a` at a 10 %
    /// fault rate: the link was gone).
    @Test func aLegacyLinkWhoseRewriteFailsHalfWayIsStillALink() async throws {
        let h = try await Harness(.memory)
        let memory = try #require(h.raw as? InMemoryObjectStore)
        _ = try await h.ln("/etc/hostname", "l")
        #expect(await memory.storedObject("l")?.type == .appendable)
        // The first append finds the object (as OSS answers); the one after the delete fails.
        await memory.injectFailure(.appendObject, OSSError(.positionNotEqualToLength))
        await memory.injectFailure(.appendObject, TransportError(.connection, "connection dropped"))
        let mtime = Timestamp(seconds: 1_600_000_000)
        _ = try await h.setattr("l", AttributeChanges(atime: mtime, mtime: mtime))
        let stored = try #require(await memory.storedObject("l"))
        #expect(stored.type == .normal)
        #expect(String(decoding: stored.data, as: UTF8.self) == "/etc/hostname")
        let other = h.remount()
        #expect(try await h.readlink("l", on: other) == "/etc/hostname")
        #expect(try await h.lstat("l", on: other).mtime == mtime)
        #expect(h.log.lines.contains { $0.contains("appending it again failed") })
    }
}
