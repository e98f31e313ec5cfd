import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// Names, directories and lookups, over every backend.
@Suite struct NamespaceContractTests {
    @Test(arguments: Backend.allCases)
    func lookupSeesFilesMarkersAndImplicitDirectories(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("a.txt", body: .bytes(Data("hello".utf8)), options: WriteOptions())
        try await h.raw.putObject("implicit/b", body: .bytes(Data()), options: WriteOptions())
        try await h.raw.putObject("marked/", body: .bytes(Data()), options: WriteOptions(userMetadata: ["mode": String(UInt32(S_IFDIR) | 0o700)]))
        let file = try await h.lstat("a.txt")
        #expect(file.mode == UInt32(S_IFREG) | 0o644)
        #expect(file.size == 5)
        #expect(file.uid == 1000)
        #expect(try await h.lstat("implicit").mode & UInt32(S_IFMT) == UInt32(S_IFDIR))
        // (A fresh mount: the third lookup in one directory would be answered by a listing,
        // which shows default modes.)
        #expect(try await h.lstat("marked", on: h.remount()).mode == UInt32(S_IFDIR) | 0o700)
        #expect(await errnoOf { _ = try await h.lstat("missing") } == ENOENT)
        #expect(await errnoOf { _ = try await h.fs.lookup(parent: 1, name: String(repeating: "n", count: 256)) } == ENAMETOOLONG)
        #expect(try await h.ls("") == ["a.txt", "implicit", "marked"])
    }

    @Test(arguments: Backend.allCases)
    func fileWinsOverDirectoryOfTheSameName(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("a", body: .bytes(Data("file".utf8)), options: WriteOptions())
        try await h.raw.putObject("a/inner", body: .bytes(Data()), options: WriteOptions())
        #expect(try await h.lstat("a").mode & UInt32(S_IFMT) == UInt32(S_IFREG))
        #expect(try await h.ls("") == ["a"])
        let remount = h.remount()
        #expect(try await h.ls("", on: remount) == ["a"])
        #expect(try await h.lstat("a", on: remount).mode & UInt32(S_IFMT) == UInt32(S_IFREG))
    }

    @Test(arguments: Backend.allCases)
    func keysThatAreNotPosixNamesAreHiddenAndLoggedOnce(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let long = String(repeating: "x", count: 256)
        for key in ["ok", "a//b", "./c", "../d", "e/./f", long, "g/" + long + "/h"] {
            try await h.raw.putObject(key, body: .bytes(Data()), options: WriteOptions())
        }
        // "a" is a directory (of the key "a//b"), whose only entry is hidden.
        for _ in 0..<2 {
            #expect(try await h.ls("") == ["a", "e", "g", "ok"])
            for dir in ["a", "e", "g"] { #expect(try await h.ls(dir) == []) }
            h.clock.advance(120)
        }
        let hidden = h.log.lines.filter { $0.contains("hidden key") }
        #expect(hidden.count == 6, "\(hidden)")
        #expect(hidden.contains { $0.hasSuffix(": a//") })
        #expect(await errnoOf { _ = try await h.fs.lookup(parent: 1, name: ".") } == nil)
    }

    @Test(arguments: Backend.allCases)
    func mkdirRmdirAndNotEmpty(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d", mode: 0o750)
        #expect(try await h.raw.headObject("d/").userMetadata["mode"] == String(UInt32(S_IFDIR) | 0o750))
        #expect(await errnoOf { try await h.mkdir("d") } == EEXIST)
        try await h.write("d/f", "x")
        #expect(await errnoOf { try await h.rmdir("d") } == ENOTEMPTY)
        #expect(await errnoOf { try await h.rm("d") } == EISDIR)
        #expect(await errnoOf { try await h.rmdir("d/f") } == ENOTDIR)
        try await h.rm("d/f")
        #expect(try await h.ls("d") == [])
        try await h.rmdir("d")
        #expect(await errnoOf { _ = try await h.lstat("d") } == ENOENT)
        #expect(try await h.ls("") == [])
    }

    @Test(arguments: Backend.allCases)
    func removingTheLastFileKeepsAnImplicitDirectory(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("d/only", body: .bytes(Data()), options: WriteOptions())
        try await h.rm("d/only")
        #expect(try await h.lstat("d").mode & UInt32(S_IFMT) == UInt32(S_IFDIR))
        #expect(try await h.ls("", on: h.remount()) == ["d"])
    }

    @Test(arguments: Backend.allCases)
    func negativeCacheAnswersWithoutRequestsUntilItExpires(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        #expect(await errnoOf { _ = try await h.lstat("nothing") } == ENOENT)
        #expect(h.store.requests(.headObject) == 0, "the lookup probe's listing alone says nothing is there")
        #expect(h.store.requests(.listObjects) == 1)
        h.store.reset()
        #expect(await errnoOf { _ = try await h.lstat("nothing") } == ENOENT)
        #expect(h.store.total == 0)
        // Another writer creates it: seen once the negative entry expires.
        try await h.raw.putObject("nothing", body: .bytes(Data()), options: WriteOptions())
        #expect(await errnoOf { _ = try await h.lstat("nothing") } == ENOENT)
        h.clock.advance(h.configuration.negativeTimeout + 1)
        #expect(try await h.lstat("nothing").size == 0)
        // A local create is visible at once.
        #expect(await errnoOf { _ = try await h.lstat("later") } == ENOENT)
        try await h.write("later", "now")
        #expect(try await h.lstat("later").size == 3)
    }

    @Test(arguments: Backend.allCases)
    func forgetDropsInodes(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "x")
        let first = try await h.fs.lookup(parent: 1, name: "f").attributes.ino
        let again = try await h.fs.lookup(parent: 1, name: "f").attributes.ino
        #expect(first == again)
        h.fs.forget(first, lookups: 3)  // create + two lookups
        #expect(await errnoOf { _ = try await h.fs.getattr(first) } == ENOENT)
        #expect(try await h.fs.lookup(parent: 1, name: "f").attributes.ino != first)
    }

    @Test(arguments: Backend.allCases)
    func prefixMountSeesOnlyItsPrefix(_ backend: Backend) async throws {
        var configuration = Harness.defaultConfiguration
        configuration.prefix = "team/"
        let h = try await Harness(backend, configuration: configuration)
        try await h.raw.putObject("outside", body: .bytes(Data()), options: WriteOptions())
        try await h.raw.putObject("team/inside", body: .bytes(Data("1".utf8)), options: WriteOptions())
        #expect(try await h.ls("") == ["inside"])
        try await h.mkdir("sub")
        try await h.write("sub/new", "data")
        #expect(try await h.raw.getObject("team/sub/new", range: nil) == Data("data".utf8))
        #expect(try await h.raw.headObject("team/sub/").contentLength == 0)
    }

    @Test(arguments: Backend.allCases)
    func statfsAndAccess(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        #expect(try await h.fs.statfs(1).nameMax == 255)
        // chmod of the bucket root is accepted (nothing can keep it).
        _ = try await h.fs.setattr(1, changes: AttributeChanges(mode: 0o700), handle: nil, context: CallerContext())
        try await h.write("f", "x")
        let ino = try await h.ino("f")
        _ = try await h.setattr("f", AttributeChanges(mode: 0o640))
        try await h.fs.access(ino, mask: R_OK | W_OK, context: CallerContext(uid: 1000, gid: 1000))
        try await h.fs.access(ino, mask: R_OK, context: CallerContext(uid: 2000, gid: 1000))
        #expect(await errnoOf { try await h.fs.access(ino, mask: W_OK, context: CallerContext(uid: 2000, gid: 1000)) } == EACCES)
        #expect(await errnoOf { try await h.fs.access(ino, mask: R_OK, context: CallerContext(uid: 2000, gid: 2000)) } == EACCES)
        try await h.fs.access(ino, mask: R_OK | W_OK, context: CallerContext(uid: 0, gid: 0))
        #expect(await errnoOf { try await h.fs.access(ino, mask: X_OK, context: CallerContext(uid: 0, gid: 0)) } == EACCES)
    }
}
