import Foundation
import OSSFileSystem
import OSSProtocol
import TestSupport
import Testing

/// Creating files costs one PutObject each, and a file renamed while open uploads to its new name.
@Suite struct CreateRequestTests {
    /// What the server itself counted (the `.server` backend), or the wrapper's count.
    static func serverPuts(_ h: Harness) throws -> Int? {
        try h.server?.stats()["PutObject"]
    }

    @Test(arguments: Backend.allCases)
    func creatingFilesInANewDirectoryCostsOnePutEach(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("new")
        h.store.reset()
        try h.server?.resetStats()
        let data = Data(repeating: 0x61, count: 4096)
        for i in 0..<200 { try await h.write("new/f\(i)", data) }
        #expect(h.store.requests(.putObject) == 200, "\(h.store.summary)")
        #expect(h.store.total == 200, "\(h.store.summary)")
        if let stats = try h.server?.stats() {
            #expect(stats["PutObject"] == 200, "\(stats)")
            #expect(stats.filter { $0.key != "PutObject" }.values.reduce(0, +) == 0, "\(stats)")
        }
        #expect(try await h.ls("new", on: h.remount()).count == 200)
        #expect(try await h.read("new/f7", on: h.remount()) == data)

        // A directory listed recently: new names cost nothing to look up either.
        try await h.raw.putObject("old/x", body: .bytes(Data()), options: WriteOptions())
        _ = try await h.ls("old")
        h.store.reset()
        try await h.write("old/y", "y")
        #expect(h.store.total == 1, "\(h.store.summary)")
    }

    @Test(arguments: Backend.allCases)
    func exclusiveCreateOfAKnownNameIsEEXISTAtOnce(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d")
        try await h.write("d/f", "x")
        let dir = try await h.ino("d")
        h.store.reset()
        #expect(await errnoOf {
            _ = try await h.fs.create(parent: dir, name: "f", mode: 0o644, flags: O_WRONLY | O_CREAT | O_EXCL, context: CallerContext())
        } == EEXIST)
        #expect(h.store.total == 0)
        // O_EXCL on a new name: the one upload carries forbid-overwrite and succeeds.
        let (entry, handle) = try await h.fs.create(parent: dir, name: "g", mode: 0o644, flags: O_WRONLY | O_CREAT | O_EXCL, context: CallerContext())
        try await h.fs.release(entry.attributes.ino, handle: handle)
        #expect(try await h.raw.headObject("d/g").contentLength == 0)
        #expect(h.store.requests(.putObject) == 1)
    }

    @Test(arguments: Backend.allCases)
    func aSecondWriterOfANewFileStartsFromItsContent(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d")
        let dir = try await h.ino("d")
        let (entry, first) = try await h.fs.create(parent: dir, name: "f", mode: 0o644, flags: O_WRONLY | O_CREAT, context: CallerContext())
        let ino = entry.attributes.ino
        _ = try await h.fs.write(ino, handle: first, offset: 0, data: Data("abc".utf8))
        let second = try await h.fs.open(ino, flags: O_WRONLY, context: CallerContext()).handle
        _ = try await h.fs.write(ino, handle: second, offset: 3, data: Data("def".utf8))
        try await h.fs.release(ino, handle: second)
        try await h.fs.release(ino, handle: first)
        #expect(try await h.raw.getObject("d/f", range: nil) == Data("abcdef".utf8))
    }

    @Test func aFailedFirstUploadIsReportedAndTheFileIsNotKept() async throws {
        let h = try await Harness(.memory)
        let memory = h.raw as! InMemoryObjectStore
        try await h.mkdir("d")
        let dir = try await h.ino("d")
        let (entry, handle) = try await h.fs.create(parent: dir, name: "f", mode: 0o644, flags: O_WRONLY | O_CREAT, context: CallerContext())
        _ = try await h.fs.write(entry.attributes.ino, handle: handle, offset: 0, data: Data("data".utf8))
        await memory.injectFailure(.putObject, TransportError(.connection, "reset"), count: 2)
        #expect(await errnoOf { try await h.fs.flush(entry.attributes.ino, handle: handle) } == EIO)
        #expect(await errnoOf { try await h.fs.release(entry.attributes.ino, handle: handle) } == EIO)
        #expect(await memory.storedObject("d/f") == nil)
        h.clock.advance(h.configuration.negativeTimeout + 1)
        #expect(await errnoOf { _ = try await h.lstat("d/f") } == ENOENT)
    }

    @Test(arguments: Backend.allCases)
    func aFileRenamedWhileOpenUploadsToItsNewName(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d")
        let dir = try await h.ino("d")
        let (entry, handle) = try await h.fs.create(parent: dir, name: "a", mode: 0o644, flags: O_WRONLY | O_CREAT, context: CallerContext())
        let ino = entry.attributes.ino
        _ = try await h.fs.write(ino, handle: handle, offset: 0, data: Data("one ".utf8))
        try await h.mv("d/a", "d/b")
        _ = try await h.fs.write(ino, handle: handle, offset: 4, data: Data("two".utf8))
        // Another writer makes a new object at the old name meanwhile: it must survive.
        try await h.raw.putObject("d/a", body: .bytes(Data("new".utf8)), options: WriteOptions())
        try await h.fs.release(ino, handle: handle)
        #expect(try await h.raw.getObject("d/b", range: nil) == Data("one two".utf8))
        #expect(try await h.raw.getObject("d/a", range: nil) == Data("new".utf8))

        // A stored file opened without O_TRUNC, moved with its directory while open.
        try await h.write("d/c", "hello")
        let c = try await h.ino("d/c")
        let open = try await h.fs.open(c, flags: O_WRONLY, context: CallerContext()).handle
        try await h.mv("d", "e")
        _ = try await h.fs.write(c, handle: open, offset: 5, data: Data(" world".utf8))
        try await h.fs.release(c, handle: open)
        #expect(try await h.raw.getObject("e/c", range: nil) == Data("hello world".utf8))
        await #expect(throws: OSSError.self) { try await h.raw.headObject("d/c") }
        #expect(try await h.readText("e/c", on: h.remount()) == "hello world")
    }
}
