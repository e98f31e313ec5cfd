import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// rename(2) cases, over every backend.
@Suite struct RenameContractTests {
    @Test(arguments: Backend.allCases)
    func fileRenameMovesContentAndMetadata(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("a", "content")
        _ = try await h.setattr("a", AttributeChanges(mode: 0o600))
        let ino = try await h.ino("a")
        try await h.mv("a", "b")
        #expect(await errnoOf { _ = try await h.lstat("a") } == ENOENT)
        #expect(try await h.readText("b") == "content")
        #expect(try await h.ino("b") == ino)
        let other = h.remount()
        #expect(try await h.lstat("b", on: other).mode == UInt32(S_IFREG) | 0o600)
        #expect(try await h.ls("", on: other) == ["b"])
    }

    @Test(arguments: Backend.allCases)
    func renameOverAFileReplacesItUnlessNoReplace(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("a", "new")
        try await h.write("b", "old")
        #expect(await errnoOf { try await h.mv("a", "b", flags: 1) } == EEXIST)
        #expect(try await h.readText("b") == "old")
        #expect(await errnoOf { try await h.mv("a", "b", flags: 2) } == EINVAL)
        try await h.mv("a", "b")
        #expect(try await h.readText("b", on: h.remount()) == "new")
        #expect(try await h.ls("", on: h.remount()) == ["b"])
        try await h.mkdir("d")
        try await h.write("f", "x")
        #expect(await errnoOf { try await h.mv("f", "d") } == EISDIR)
        #expect(await errnoOf { try await h.mv("d", "f") } == ENOTDIR)
        #expect(await errnoOf { try await h.mv("d", "d/inside") } == EINVAL)
        // A destination that is an ancestor of the source: ENOTEMPTY, as the kernel answers, whatever
        // the source's type; nothing moves.
        try await h.write("d/x", "kept")
        #expect(await errnoOf { try await h.mv("d/x", "d") } == ENOTEMPTY)
        try await h.mkdir("d/sub")
        #expect(await errnoOf { try await h.mv("d/sub", "d") } == ENOTEMPTY)
        #expect(try await h.readText("d/x", on: h.remount()) == "kept")
        #expect(await errnoOf { try await h.mv("missing", "z") } == ENOENT)
    }

    @Test(arguments: Backend.allCases)
    func linkRenameKeepsItsTextAndRetargets(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("a")
        try await h.mkdir("a/b")
        try await h.write("a/t", "target")
        try await h.ln("../t", "a/b/L")
        try await h.mv("a/b/L", "a/L2")
        #expect(try await h.readlink("a/L2") == "../t")
        // The same text from the new place names another key, as on a local disk.
        #expect(try await h.raw.getSymlink("a/L2").target == "t")
        #expect(try await h.readlink("a/L2", on: h.remount()) == "../t")
        // Moved where the text climbs out of the mount: it becomes a legacy link.
        try await h.mv("a/L2", "top")
        #expect(try await h.readlink("top", on: h.remount()) == "../t")
        #expect(try await h.raw.headObject("top").userMetadata["mode"] == String(UInt32(S_IFLNK) | 0o777))
        // Legacy links move by copy.
        try await h.mv("top", "a/back")
        #expect(try await h.readlink("a/back", on: h.remount()) == "../t")
    }

    @Test(arguments: Backend.allCases)
    func directoryRenameMovesEveryKeyBelow(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("src", mode: 0o700)
        try await h.write("src/f", "1")
        try await h.raw.putObject("src/deep/er/g", body: .bytes(Data("2".utf8)), options: WriteOptions())
        // Another writer's keys in a directory made here show after negative_timeout.
        h.clock.advance(h.configuration.negativeTimeout + 1)
        try await h.ln("f", "src/rel")
        try await h.ln("../outside", "src/deep/up")
        try await h.raw.putSymlink("src/sdk", target: "src/f", options: WriteOptions())
        let child = try await h.ino("src/f")
        try await h.mv("src", "dst")
        #expect(try await h.ino("dst/f") == child)
        let other = h.remount()
        #expect(try await h.lstat("dst", on: other).mode == UInt32(S_IFDIR) | 0o700)
        #expect(try await h.ls("", on: other) == ["dst"])
        #expect(try await h.ls("dst", on: other) == ["deep", "f", "rel", "sdk"])
        #expect(try await h.readText("dst/deep/er/g", on: other) == "2")
        #expect(try await h.readlink("dst/rel", on: other) == "f")
        #expect(try await h.raw.getSymlink("dst/rel").target == "dst/f")
        #expect(try await h.readlink("dst/deep/up", on: other) == "../outside")
        #expect(try await h.raw.getSymlink("dst/deep/up").target == "dst/outside")
        #expect(try await h.readlink("dst/sdk", on: other) == "f")
        #expect(h.log.lines.contains { $0.contains("rename src/ -> dst/") })
    }

    @Test(arguments: Backend.allCases)
    func directoryOntoDirectory(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("a")
        try await h.write("a/x", "1")
        try await h.mkdir("full")
        try await h.write("full/y", "2")
        try await h.mkdir("empty")
        #expect(await errnoOf { try await h.mv("a", "full") } == ENOTEMPTY)
        #expect(await errnoOf { try await h.mv("a", "empty", flags: 1) } == EEXIST)
        try await h.mv("a", "empty")
        let other = h.remount()
        #expect(try await h.ls("", on: other) == ["empty", "full"])
        #expect(try await h.readText("empty/x", on: other) == "1")
    }

    @Test(arguments: Backend.allCases)
    func renameFlushesUnsavedWritesFirst(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let (entry, handle) = try await h.fs.create(parent: 1, name: "draft", mode: UInt32(S_IFREG) | 0o644, flags: O_WRONLY | O_CREAT, context: CallerContext())
        _ = try await h.fs.write(entry.attributes.ino, handle: handle, offset: 0, data: Data("text".utf8))
        try await h.mv("draft", "final")
        #expect(try await h.raw.getObject("final", range: nil) == Data("text".utf8))
        // Writes after the rename land under the new name, and the old one stays gone.
        _ = try await h.fs.write(entry.attributes.ino, handle: handle, offset: 4, data: Data(" more".utf8))
        try await h.fs.release(entry.attributes.ino, handle: handle)
        #expect(try await h.raw.getObject("final", range: nil) == Data("text more".utf8))
        #expect(try await h.ls("", on: h.remount()) == ["final"])
    }
}

/// Directories larger than one listing page (1000 keys).
@Suite struct LargeDirectoryContractTests {
    @Test(arguments: Backend.allCases)
    func listingAndRenamingMoreThanOnePage(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let names = (0..<1005).map { String(format: "f%04d", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: names.count, by: 100) {
                let slice = names[chunk..<min(chunk + 100, names.count)]
                group.addTask {
                    for name in slice { try await h.raw.putObject("big/" + name, body: .bytes(Data(name.utf8)), options: WriteOptions()) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await h.ls("big") == names)
        #expect(h.store.requests(.listObjects) >= 2)
        try await h.mv("big", "moved")
        let other = h.remount()
        #expect(try await h.ls("", on: other) == ["moved"])
        #expect(try await h.ls("moved", on: other) == names)
        #expect(try await h.readText("moved/f1004", on: other) == "f1004")
        #expect(try await h.raw.listObjects(prefix: "big/", delimiter: nil, continuationToken: nil, maxKeys: 10).contents.isEmpty)
    }
}
