import Foundation
@testable import OSSFileSystem
import OSSProtocol
import Testing

/// readdir streams a directory too big for the cache one page at a time (issue 19: a million
/// names in bounded memory), and keeps what the whole listing promised: the file-wins rule across
/// pages, seekdir back, local files not stored yet, and caching of small directories.
@Suite struct DirectoryStreamTests {
    /// A cache bound of 2,000 names: listings of more than 1,000 are not kept (the per-path
    /// entries the HEADs of one listing leave stay within it, so nothing else is pushed out).
    static var smallCache: MountConfiguration {
        var configuration = Harness.defaultConfiguration
        configuration.maxCachedEntries = 2000
        return configuration
    }

    /// `big/`: file `a`, 1,100 files `a-0000`... (so `a/` comes two pages after `a`), a directory
    /// `a/` hidden by the file, a directory `d/` and ten files `z0`...; `small/`: three files.
    static func seed(_ h: Harness) async throws -> [String] {
        let crowd = (0..<1100).map { String(format: "a-%04d", $0) }
        let keys = ["big/a", "big/a/inner", "big/d/inner"] + crowd.map { "big/" + $0 } + (0..<10).map { "big/z\($0)" }
            + ["small/x", "small/y", "small/z"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: keys.count, by: 100) {
                let slice = keys[chunk..<min(chunk + 100, keys.count)]
                group.addTask {
                    for key in slice { try await h.raw.putObject(key, body: .bytes(Data(key.utf8)), options: WriteOptions()) }
                }
            }
            try await group.waitForAll()
        }
        return ["a"] + crowd + ["d"] + (0..<10).map { "z\($0)" }
    }

    @Test(arguments: Backend.allCases)
    func aBigDirectoryIsReadOnePageAtATimeAndNotKept(_ backend: Backend) async throws {
        let h = try await Harness(backend, configuration: Self.smallCache)
        let expected = try await Self.seed(h)
        _ = try await h.ino("big")
        h.store.reset()
        #expect(try await h.ls("big") == expected, "the file a hides the directory a/ two pages later")
        let pages = h.store.requests(.listObjects)
        #expect(pages >= 2)

        // Lazily: the first readdir call sends one listing, not three.
        let ino = try await h.ino("big")
        let handle = try await h.fs.opendir(ino)
        h.store.reset()
        let first = try await h.fs.readdir(ino, handle: handle, offset: 0, limit: 10, plus: true)
        #expect(first.map(\.name) == [".", "..", "a"] + expected[1..<8])
        #expect(h.store.requests(.listObjects) == 1)
        // Read on, then seek back to the tenth entry: the same names again.
        var offset = first.last!.offset
        var rest: [DirectoryEntry] = []
        while true {
            let batch = try await h.fs.readdir(ino, handle: handle, offset: offset, limit: 300, plus: false)
            if batch.isEmpty { break }
            rest += batch
            offset = batch.last!.offset
        }
        #expect(rest.map(\.name) == Array(expected[8...]))
        let again = try await h.fs.readdir(ino, handle: handle, offset: first[9].offset, limit: 5, plus: false)
        #expect(again.map(\.name) == Array(expected[8..<13]))
        // Back to just after "." (telldir there, seekdir later): "..", then the listing's start.
        _ = try await h.fs.readdir(ino, handle: handle, offset: rest.last!.offset, limit: 10, plus: false)
        let fromDot = try await h.fs.readdir(ino, handle: handle, offset: first[0].offset, limit: 4, plus: false)
        #expect(fromDot.map(\.name) == [".."] + expected[0..<3])
        await h.fs.releasedir(ino, handle: handle)

        // Too big to keep: the next listing asks the store again.
        h.store.reset()
        #expect(try await h.ls("big") == expected)
        #expect(h.store.requests(.listObjects) == pages)
        // A small directory is kept: listed once, then answered from the cache.
        #expect(try await h.ls("small") == ["x", "y", "z"])
        h.store.reset()
        #expect(try await h.ls("small") == ["x", "y", "z"])
        #expect(h.store.requests(.listObjects) == 0)
    }

    @Test(arguments: Backend.allCases)
    func aFileNotStoredYetComesAfterTheListing(_ backend: Backend) async throws {
        let h = try await Harness(backend, configuration: Self.smallCache)
        let expected = try await Self.seed(h)
        let (parent, _) = try await h.parent("big/new")
        let (created, handle) = try await h.fs.create(parent: parent, name: "b-new", mode: UInt32(S_IFREG) | 0o644,
                                                      flags: O_WRONLY | O_CREAT | O_EXCL, context: Harness.mountUser)
        #expect(try await h.ls("big") == expected + ["b-new"])
        try await h.fs.release(created.attributes.ino, handle: handle)
        let other = h.remount()
        #expect(try await h.ls("big", on: other) == ["a"] + expected.dropFirst().filter { $0 < "b" } + ["b-new"]
                + expected.filter { $0 > "b" })
    }
}
