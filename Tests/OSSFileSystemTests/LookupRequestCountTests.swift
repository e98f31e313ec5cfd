import Foundation
@testable import OSSFileSystem
import OSSProtocol
import TestSupport
import Testing

/// A lookup of a name nothing has cached starts with one listing of the keys beginning with its
/// key (`LookupProbe`): nothing there, or a directory without a marker, costs that one request; a
/// file adds its HEAD, a native link its GetSymlink, a marker its HEAD. Siblings crowding the
/// probe's page (`a-1`, `a.txt` sort between `a` and `a/`) add one listing of `a/`, never more.
@Suite struct LookupRequestCountTests {
    private func isDirectory(_ a: FileAttributes) -> Bool { a.mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    private func isSymlink(_ a: FileAttributes) -> Bool { a.mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }

    private func put(_ h: Harness, _ keys: [String]) async throws {
        for key in keys { try await h.raw.putObject(key, body: .bytes(Data(key.utf8)), options: WriteOptions()) }
    }

    /// Looks `name` up in the root as a fresh name (caches and lookup-burst counters expired) and
    /// returns the requests it cost.
    private func lookUp(_ h: Harness, _ name: String) async throws -> (FileAttributes?, [StoreOperation: Int]) {
        h.clock.advance(h.configuration.attributeTimeout + 1)
        h.store.reset()
        do {
            let reply = try await h.fs.lookup(parent: Harness.root, name: name)
            return (reply.attributes, h.store.summary)
        } catch let error where error.errno == ENOENT {
            return (nil, h.store.summary)
        }
    }

    @Test(arguments: Backend.allCases)
    func eachKindCostsOneListingPlusWhatItsAttributesNeed(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await put(h, ["file", "implicit/x", "implicit/y", "marked/", "marked/x", "both", "both/x", "e/x", "e0", "ef"])
        try await h.raw.putSymlink("link", target: "file", options: WriteOptions())

        var (found, counts) = try await lookUp(h, "nothing")
        #expect(found == nil)
        #expect(counts == [StoreOperation.listObjects: 1], "a missing name: one listing, no HEAD")

        (found, counts) = try await lookUp(h, "file")
        #expect(found?.size == 4)
        #expect(found.map(isDirectory) == false)
        #expect(counts == [StoreOperation.listObjects: 1, .headObject: 1], "a file: its HEAD carries the stored attributes")

        (found, counts) = try await lookUp(h, "implicit")
        #expect(found.map(isDirectory) == true)
        #expect(counts == [StoreOperation.listObjects: 1], "a directory without a marker: the listing says all")

        (found, counts) = try await lookUp(h, "marked")
        #expect(found.map(isDirectory) == true)
        #expect(counts == [StoreOperation.listObjects: 1, .headObject: 1], "a marker's HEAD carries the directory's mode")

        (found, counts) = try await lookUp(h, "link")
        #expect(found.map(isSymlink) == true)
        #expect(counts == [StoreOperation.listObjects: 1, .getSymlink: 1], "a native link: GetSymlink, no HEAD")

        (found, counts) = try await lookUp(h, "both")
        #expect(found.map(isDirectory) == false, "a file and a directory of one name: the file shows")
        #expect(counts == [StoreOperation.listObjects: 1, .headObject: 1])

        (found, counts) = try await lookUp(h, "e")
        #expect(found.map(isDirectory) == true, "siblings sorting after e/ (e0, ef) do not crowd it")
        #expect(counts == [StoreOperation.listObjects: 1])
    }

    @Test(arguments: Backend.allCases)
    func siblingsCrowdingTheProbeCostOneListingMore(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        // More keys between `a` and `a/` than the probe's page holds.
        let crowd = (0..<(LookupProbe.pageSize + 4)).map { String(format: "-%02d", $0) } + [".txt", "!x/deep"]
        try await put(h, crowd.map { "a" + $0 } + ["a/inside"])
        try await put(h, crowd.map { "b" + $0 })
        try await put(h, crowd.map { "c" + $0 } + ["c", "c/inside"])
        try await put(h, crowd.map { "m" + $0 } + ["m/", "m/inside"])

        var (found, counts) = try await lookUp(h, "a")
        #expect(found.map(isDirectory) == true, "a/ is found past its siblings")
        #expect(counts == [StoreOperation.listObjects: 2], "\(counts)")
        // That listing of a/ is kept for the readdir that follows.
        h.store.reset()
        #expect(try await h.ls("a") == ["inside"])
        #expect(h.store.requests(.listObjects) == 0, "\(h.store.summary)")

        (found, counts) = try await lookUp(h, "b")
        #expect(found == nil, "nothing named b among b-00 ... b.txt")
        #expect(counts == [StoreOperation.listObjects: 2], "\(counts)")

        (found, counts) = try await lookUp(h, "c")
        #expect(found.map(isDirectory) == false, "the file c sorts first: siblings do not matter")
        #expect(counts == [StoreOperation.listObjects: 1, .headObject: 1], "\(counts)")

        (found, counts) = try await lookUp(h, "m")
        #expect(found.map(isDirectory) == true)
        #expect(counts == [StoreOperation.listObjects: 2, .headObject: 1], "\(counts)")

    }

    @Test func probeClassifiesByByteOrder() {
        func page(_ keys: [String], truncated: Bool = false) -> ListObjectsPage {
            ListObjectsPage(bucket: "b", maxKeys: LookupProbe.pageSize, isTruncated: truncated,
                            contents: keys.map { ObjectSummary(key: $0, lastModified: Date(), etag: "", size: 0) })
        }
        #expect(LookupProbe.classify(page([]), key: "k", directoryPrefix: "k/") == .nothing)
        #expect(LookupProbe.classify(page(["k-1", "k.txt"]), key: "k", directoryPrefix: "k/") == .nothing)
        #expect(LookupProbe.classify(page(["k-1", "k.txt"], truncated: true), key: "k", directoryPrefix: "k/") == .undecided)
        #expect(LookupProbe.classify(page(["k-1", "k0"], truncated: true), key: "k", directoryPrefix: "k/") == .nothing,
                "a key past k/ proves nothing is under it")
        #expect(LookupProbe.classify(page(["k-1", "k/"], truncated: true), key: "k", directoryPrefix: "k/") == .directory(marker: true))
        #expect(LookupProbe.classify(page(["k/a"]), key: "k", directoryPrefix: "k/") == .directory(marker: false))
        #expect(LookupProbe.classify(page(["ké"]), key: "k", directoryPrefix: "k/") == .nothing)
        if case .file(let summary) = LookupProbe.classify(page(["k", "k/"]), key: "k", directoryPrefix: "k/") {
            #expect(summary.key == "k")
        } else {
            Issue.record("k itself is the file")
        }
    }
}

/// What the kernel forgets, the mount forgets: the inode and the cached attributes of its path.
@Suite struct ForgetTests {
    @Test func forgetFreesTheInodeAndItsCachedAttributes() async throws {
        let h = try await Harness(.memory)
        try await h.raw.putObject("file", body: .bytes(Data("x".utf8)), options: WriteOptions())
        let reply = try await h.fs.lookup(parent: Harness.root, name: "file")
        let ino = reply.attributes.ino
        #expect(h.fs.inodes.record(ino) != nil)
        #expect(h.fs.superblock.cachedStat("file") != nil)
        let cached = h.fs.superblock.cache.count
        h.fs.forget(ino, lookups: 1)
        #expect(h.fs.inodes.record(ino) == nil)
        #expect(h.fs.superblock.cachedStat("file") == nil)
        #expect(h.fs.superblock.cache.count == cached - 1)
        // Asked again, it is looked up again (probe listing + HEAD), under the same serial.
        h.store.reset()
        let again = try await h.fs.lookup(parent: Harness.root, name: "file")
        #expect(again.attributes.serial == reply.attributes.serial)
        #expect(h.store.total == 2, "\(h.store.summary)")
    }

    @Test func anInodeStillReferencedKeepsItsAttributes() async throws {
        let h = try await Harness(.memory)
        try await h.raw.putObject("file", body: .bytes(Data("x".utf8)), options: WriteOptions())
        let ino = try await h.fs.lookup(parent: Harness.root, name: "file").attributes.ino
        _ = try await h.fs.lookup(parent: Harness.root, name: "file")
        h.fs.forget(ino, lookups: 1)
        #expect(h.fs.inodes.record(ino) != nil)
        #expect(h.fs.superblock.cachedStat("file") != nil)
    }
}
