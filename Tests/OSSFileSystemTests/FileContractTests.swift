import Foundation
import OSSFileSystem
import OSSProtocol
import TestSupport
import Testing

/// Open, read, write, truncate and the upload's errors, over every backend.
@Suite struct FileContractTests {
    @Test(arguments: Backend.allCases)
    func writeThenReadBackFromAnotherMount(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try await h.write("big.bin", data)
        #expect(try await h.read("big.bin", on: h.remount()) == data)
        #expect(try await h.lstat("big.bin").size == UInt64(data.count))
        #expect(try await h.raw.headObject("big.bin").userMetadata["mode"] == String(UInt32(S_IFREG) | 0o644))
    }

    @Test(arguments: Backend.allCases)
    func createExclusiveIsAtomicAndPlainCreateOpensTheExistingFile(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "keep")
        let context = CallerContext()
        #expect(await errnoOf {
            _ = try await h.fs.create(parent: 1, name: "f", mode: UInt32(S_IFREG) | 0o644, flags: O_WRONLY | O_CREAT | O_EXCL, context: context)
        } == EEXIST)
        // Another writer made the name after our negative lookup.
        #expect(await errnoOf { _ = try await h.lstat("g") } == ENOENT)
        try await h.raw.putObject("g", body: .bytes(Data("theirs".utf8)), options: WriteOptions())
        // The create is local until the first upload, which carries forbid-overwrite: close fails
        // (EIO) and their object stays.
        let (mine, mineHandle) = try await h.fs.create(parent: 1, name: "g", mode: UInt32(S_IFREG) | 0o644,
                                                       flags: O_WRONLY | O_CREAT | O_EXCL, context: context)
        _ = try await h.fs.write(mine.attributes.ino, handle: mineHandle, offset: 0, data: Data("mine".utf8))
        #expect(await errnoOf { try await h.fs.flush(mine.attributes.ino, handle: mineHandle) } == EIO)
        #expect(await errnoOf { try await h.fs.release(mine.attributes.ino, handle: mineHandle) } == EIO)
        #expect(h.log.lines.contains { $0.contains("O_EXCL") })
        #expect(try await h.raw.getObject("g", range: nil) == Data("theirs".utf8))
        let (entry, handle) = try await h.fs.create(parent: 1, name: "g", mode: UInt32(S_IFREG) | 0o644, flags: O_RDWR | O_CREAT, context: context)
        #expect(try await h.fs.read(entry.attributes.ino, handle: handle, offset: 0, size: 100) == Data("theirs".utf8))
        try await h.fs.release(entry.attributes.ino, handle: handle)
        #expect(try await h.raw.getObject("g", range: nil) == Data("theirs".utf8))
        #expect(try await h.readText("f") == "keep")
    }

    @Test(arguments: Backend.allCases)
    func newFileIsVisibleAtOnceAndStoredByOnePut(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        _ = try await h.ino("")
        h.store.reset()
        let (entry, handle) = try await h.fs.create(parent: 1, name: "t", mode: UInt32(S_IFREG) | 0o600, flags: O_WRONLY | O_CREAT, context: CallerContext())
        // Visible here at once (lookup, getattr, readdir); stored by the first upload.
        #expect(try await h.lstat("t").mode == UInt32(S_IFREG) | 0o600)
        #expect(try await h.ls("").contains("t"))
        h.clock.advance(h.configuration.attributeTimeout + 1)
        #expect(try await h.lstat("t").size == 0)
        #expect(try await h.ls("").contains("t"))
        await #expect(throws: OSSError.self) { try await h.raw.headObject("t") }
        try await h.fs.flush(entry.attributes.ino, handle: handle)
        #expect(try await h.raw.headObject("t").contentLength == 0)
        try await h.fs.release(entry.attributes.ino, handle: handle)
        #expect(h.store.requests(.putObject) == 1)
        #expect(try await h.lstat("t", on: h.remount()).mode == UInt32(S_IFREG) | 0o600)
    }

    @Test(arguments: Backend.allCases)
    func openingForWriteWithoutTruncKeepsTheContent(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "hello world")
        let ino = try await h.ino("f")
        let handle = try await h.fs.open(ino, flags: O_WRONLY, context: CallerContext()).handle
        #expect(try await h.fs.write(ino, handle: handle, offset: 6, data: Data("WORLD!".utf8)) == 6)
        #expect(try await h.fs.getattr(ino).0.size == 12)
        try await h.fs.flush(ino, handle: handle)
        try await h.fs.release(ino, handle: handle)
        #expect(try await h.readText("f", on: h.remount()) == "hello WORLD!")
        // O_TRUNC empties it even without a write.
        let truncating = try await h.fs.open(ino, flags: O_WRONLY | O_TRUNC, context: CallerContext()).handle
        try await h.fs.release(ino, handle: truncating)
        #expect(try await h.raw.headObject("f").contentLength == 0)
    }

    @Test(arguments: Backend.allCases)
    func truncateWithoutAHandleRewritesTheObject(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "0123456789")
        #expect(try await h.setattr("f", AttributeChanges(size: 4)).size == 4)
        #expect(try await h.readText("f", on: h.remount()) == "0123")
        #expect(try await h.setattr("f", AttributeChanges(size: 6)).size == 6)
        #expect(try await h.read("f", on: h.remount()) == Data("0123".utf8) + Data(count: 2))
        #expect(try await h.setattr("f", AttributeChanges(size: 0)).size == 0)
        #expect(try await h.raw.headObject("f").contentLength == 0)
        // ftruncate through an open handle waits for the upload.
        let ino = try await h.ino("f")
        let handle = try await h.fs.open(ino, flags: O_RDWR, context: CallerContext()).handle
        _ = try await h.fs.write(ino, handle: handle, offset: 0, data: Data("abcdef".utf8))
        _ = try await h.fs.setattr(ino, changes: AttributeChanges(size: 2), handle: handle, context: CallerContext())
        #expect(try await h.fs.getattr(ino).0.size == 2)
        try await h.fs.release(ino, handle: handle)
        #expect(try await h.readText("f", on: h.remount()) == "ab")
    }

    @Test(arguments: Backend.allCases)
    func unlinkedWhileOpenIsNotBroughtBack(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let (entry, handle) = try await h.fs.create(parent: 1, name: "tmp", mode: UInt32(S_IFREG) | 0o644, flags: O_RDWR | O_CREAT, context: CallerContext())
        let ino = entry.attributes.ino
        _ = try await h.fs.write(ino, handle: handle, offset: 0, data: Data("scratch".utf8))
        try await h.rm("tmp")
        #expect(try await h.fs.read(ino, handle: handle, offset: 0, size: 10) == Data("scratch".utf8))
        #expect(try await h.fs.getattr(ino).0.size == 7)
        try await h.fs.release(ino, handle: handle)
        #expect(await errnoOf { _ = try await h.raw.headObject("tmp") } == -1)
        #expect(try await h.ls("") == [])
    }

    @Test(arguments: Backend.allCases)
    func directoriesAndLinksCannotBeOpenedAsFiles(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d")
        try await h.ln("d", "L")
        #expect(await errnoOf { _ = try await h.fs.open(try await h.ino("d"), flags: O_RDONLY, context: CallerContext()) } == EISDIR)
        #expect(await errnoOf { _ = try await h.fs.open(try await h.ino("L"), flags: O_RDONLY, context: CallerContext()) } == ELOOP)
        #expect(await errnoOf { _ = try await h.fs.opendir(try await h.ino("L")) } == ENOTDIR)
        #expect(await errnoOf { _ = try await h.fs.readlink(try await h.ino("d")) } == EINVAL)
    }

    /// A failed upload is the application's error (close fails), and the old object stays.
    @Test func failedUploadIsReportedAndKeepsThePreviousVersion() async throws {
        let memory = InMemoryObjectStore()
        let clock = ManualClock()
        let log = LogLines()
        let fs = OSSFileSystem(store: memory, configuration: Harness.defaultConfiguration,
                               logger: .collecting { log.append($0) }, clock: { clock.now })
        try await memory.putObject("f", body: .bytes(Data("old".utf8)), options: WriteOptions())
        let ino = try await fs.lookup(parent: 1, name: "f").attributes.ino
        let handle = try await fs.open(ino, flags: O_WRONLY | O_TRUNC, context: CallerContext()).handle
        _ = try await fs.write(ino, handle: handle, offset: 0, data: Data("new".utf8))
        await memory.injectFailure(.putObject, TransportError(.connection, "connection reset"))
        #expect(await errnoOf { try await fs.flush(ino, handle: handle) } == EIO)
        #expect(try await memory.getObject("f", range: nil) == Data("old".utf8))
        await memory.injectFailure(.putObject, OSSError(httpStatus: 403, code: "AccessDenied", message: "denied"))
        #expect(await errnoOf { try await fs.fsync(ino, handle: handle, dataOnly: false) } == EACCES)
        // Still dirty: the release retries and succeeds.
        try await fs.release(ino, handle: handle)
        #expect(try await memory.getObject("f", range: nil) == Data("new".utf8))
        #expect(log.lines.contains { $0.contains("upload of f failed") })
    }

    /// Stores 3 MiB of 1s at `name`, opens it with `flags`, reads its first 4 KiB, then has another
    /// writer replace it with 3 MiB of 2s. Returns the inode, the handle and the size.
    static func openThenReplace(_ h: Harness, _ name: String, flags: Int32) async throws -> (InodeNumber, HandleNumber, Int) {
        let size = 3 << 20
        try await h.raw.putObject(name, body: .bytes(Data(repeating: 1, count: size)), options: WriteOptions())
        let ino = try await h.ino(name)
        let handle = try await h.fs.open(ino, flags: flags, context: CallerContext()).handle
        #expect(try await h.fs.read(ino, handle: handle, offset: 0, size: 4096) == Data(repeating: 1, count: 4096))
        try await h.raw.putObject(name, body: .bytes(Data(repeating: 2, count: size)), options: WriteOptions())
        return (ino, handle, size)
    }

    /// A reader is pinned to the version it opened: once another writer has replaced the object,
    /// reading bytes not fetched yet fails with ESTALE instead of mixing versions, and a new open
    /// reads the new version. A version this mount stores itself is followed by its open readers.
    @Test(arguments: Backend.allCases)
    func aReaderNeverMixesVersions(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let (ino, reader, size) = try await Self.openThenReplace(h, "v", flags: O_RDONLY)
        #expect(await errnoOf { _ = try await h.fs.read(ino, handle: reader, offset: 2 << 20, size: 4096) } == ESTALE)
        try await h.fs.release(ino, handle: reader)

        h.clock.advance(h.configuration.attributeTimeout + 1)
        let again = try await h.fs.open(ino, flags: O_RDONLY, context: CallerContext()).handle
        #expect(try await h.fs.read(ino, handle: again, offset: 2 << 20, size: 4096) == Data(repeating: 2, count: 4096))
        // chmod rewrites the metadata by a copy onto itself, which keeps the ETag: still the same version.
        _ = try await h.setattr("v", AttributeChanges(mode: 0o600))
        #expect(try await h.fs.read(ino, handle: again, offset: 0, size: 4096) == Data(repeating: 2, count: 4096))
        let writer = try await h.fs.open(ino, flags: O_WRONLY | O_TRUNC, context: CallerContext()).handle
        _ = try await h.fs.write(ino, handle: writer, offset: 0, data: Data(repeating: 3, count: size))
        try await h.fs.flush(ino, handle: writer)
        try await h.fs.release(ino, handle: writer)
        #expect(try await h.fs.read(ino, handle: again, offset: 1 << 20, size: 4096) == Data(repeating: 3, count: 4096),
                "the reader follows the version this mount stored")
        try await h.fs.release(ino, handle: again)
    }

    /// A partial rewrite is built on the version opened (a write loads the rest of the object
    /// first): when another writer has replaced the object meanwhile, loading is refused (ESTALE) for
    /// reads and writes alike, nothing is stored, and their object stays whole rather than becoming a
    /// mix of theirs and ours.
    @Test(arguments: Backend.allCases)
    func aPartialRewriteOfAReplacedObjectIsRefusedAndKeepsTheirs(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let (ino, writer, size) = try await Self.openThenReplace(h, "p", flags: O_RDWR)
        let theirs = Data(repeating: 2, count: size)
        #expect(await errnoOf { _ = try await h.fs.read(ino, handle: writer, offset: 2 << 20, size: 4096) } == ESTALE)
        #expect(await errnoOf { _ = try await h.fs.write(ino, handle: writer, offset: 0, data: Data("mine".utf8)) } == ESTALE)
        try await h.fs.flush(ino, handle: writer)
        try await h.fs.release(ino, handle: writer)
        #expect(try await h.raw.getObject("p", range: nil) == theirs)
    }

    /// A file renamed through the mount while open for reading, by itself or with its directory, goes
    /// on reading the version it opened from its new key, as a file on a local disk does.
    @Test(arguments: Backend.allCases)
    func aReaderFollowsARenameMadeHere(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let data = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try await h.raw.putObject("d/f", body: .bytes(data), options: WriteOptions())
        let ino = try await h.ino("d/f")
        let reader = try await h.fs.open(ino, flags: O_RDONLY, context: CallerContext()).handle
        #expect(try await h.fs.read(ino, handle: reader, offset: 0, size: 4096) == data.prefix(4096))
        try await h.mv("d/f", "d/g")
        #expect(try await h.fs.read(ino, handle: reader, offset: 1 << 20, size: 4096) == data[(1 << 20)..<((1 << 20) + 4096)])
        try await h.mv("d", "e")
        #expect(try await h.fs.read(ino, handle: reader, offset: 2 << 20, size: 4096) == data[(2 << 20)..<((2 << 20) + 4096)])
        try await h.fs.release(ino, handle: reader)
    }
}
