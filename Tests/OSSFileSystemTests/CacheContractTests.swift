import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// What the caches save: request counts per operation, over every backend.
@Suite struct CacheContractTests {
    /// Listing-only mode: `ls -l` of a directory with N files and M links: one listing and M
    /// GetSymlink, no HEAD; again within the TTL: nothing at all.
    @Test(arguments: Backend.allCases, [true, false])
    func listingFillsTheAttributeCache(_ backend: Backend, plus: Bool) async throws {
        let h = try await Harness(backend, configuration: Harness.listingOnlyConfiguration)
        for i in 0..<5 { try await h.raw.putObject("dir/f\(i)", body: .bytes(Data(count: i)), options: WriteOptions()) }
        for i in 0..<3 { try await h.raw.putSymlink("dir/l\(i)", target: "dir/f\(i)", options: WriteOptions()) }
        try await h.raw.putObject("dir/sub/x", body: .bytes(Data()), options: WriteOptions())
        h.store.reset()
        // `ls -l dir` looks `dir` up first: one HEAD and one probe listing, whose page is the
        // listing's first page, so the directory is listed once in all.
        let dir = try await h.ino("dir")

        func lsLong() async throws -> [String: FileAttributes] {
            let entries = try await h.entries("dir", plus: plus)
            var out: [String: FileAttributes] = [:]
            for entry in entries {
                // What `ls -l` does next without readdirplus: lookup (+ readlink for links).
                let reply = try await h.fs.lookup(parent: dir, name: entry.name)
                if let plusReply = entry.entry { #expect(plusReply.attributes == reply.attributes) }
                if reply.attributes.mode & UInt32(S_IFMT) == UInt32(S_IFLNK) {
                    #expect(try await h.fs.readlink(reply.attributes.ino) == entry.name.replacingOccurrences(of: "l", with: "f"))
                }
                out[entry.name] = try await h.fs.getattr(reply.attributes.ino).0
            }
            return out
        }

        let first = try await lsLong()
        #expect(first.keys.sorted() == ["f0", "f1", "f2", "f3", "f4", "l0", "l1", "l2", "sub"])
        #expect(first["f3"]?.size == 3)
        #expect(first["l1"]?.size == 2)
        #expect(first["sub"].map { $0.mode & UInt32(S_IFMT) } == UInt32(S_IFDIR))
        // The lookup of dir is one probe listing (no HEAD: no marker), the readdir one more.
        #expect(h.store.requests(.listObjects) == 2)
        #expect(h.store.requests(.getSymlink) == 3)
        #expect(h.store.requests(.headObject) == 0, "dir has no marker; the listing gave the rest")
        #expect(h.store.total == 5, "\(h.store.summary)")

        h.store.reset()
        h.clock.advance(h.configuration.attributeTimeout / 2)
        #expect(try await lsLong() == first)
        #expect(h.store.total == 0, "\(h.store.summary)")

        // After the TTL: listed again; links whose ETag did not change keep their text.
        h.clock.advance(h.configuration.attributeTimeout)
        h.store.reset()
        _ = try await h.ino("dir")
        _ = try await h.ls("dir", plus: plus)
        #expect(h.store.requests(.listObjects) == 2)
        #expect(h.store.requests(.headObject) == 0)
        #expect(h.store.requests(.getSymlink) <= 3)
    }

    @Test(arguments: Backend.allCases)
    func lookupOfAnUnknownNameSendsOneProbeAndAHeadForAFile(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("file", body: .bytes(Data("x".utf8)), options: WriteOptions())
        try await h.raw.putObject("implicit/y", body: .bytes(Data()), options: WriteOptions())
        _ = try await h.lstat("file")
        #expect(h.store.requests(.headObject) == 1)
        #expect(h.store.requests(.listObjects) == 1)
        _ = try await h.lstat("implicit")
        #expect(h.store.requests(.headObject) == 1, "an implicit directory needs no HEAD")
        #expect(h.store.requests(.listObjects) == 2)
        h.store.reset()
        _ = try await h.lstat("file")
        _ = try await h.lstat("implicit")
        #expect(h.store.total == 0)
    }

    @Test(arguments: Backend.allCases)
    func otherWritersAreSeenAfterTheTTL(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "one")
        try await h.raw.putObject("f", body: .bytes(Data("three".utf8)), options: WriteOptions())
        #expect(try await h.lstat("f").size == 3)
        h.clock.advance(h.configuration.attributeTimeout + 1)
        #expect(try await h.lstat("f").size == 5)
        #expect(try await h.readText("f") == "three")
    }

    @Test(arguments: Backend.allCases)
    func keepCacheOnlyWhileTheETagIsUnchanged(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "one")
        let ino = try await h.ino("f")
        func open() async throws -> Bool {
            let (handle, keep) = try await h.fs.open(ino, flags: O_RDONLY, context: CallerContext())
            try await h.fs.release(ino, handle: handle)
            return keep
        }
        #expect(try await open() == false)
        #expect(try await open() == true)
        try await h.raw.putObject("f", body: .bytes(Data("other".utf8)), options: WriteOptions())
        h.clock.advance(h.configuration.attributeTimeout + 1)
        _ = try await h.fs.getattr(ino)
        #expect(try await open() == false)
        #expect(try await open() == true)
        try await h.write("f", "mine")
        #expect(try await open() == false)
    }
}

/// Concurrent lookups of one unknown name share one HEAD and one probe.
@Suite struct ConcurrentLookupTests {
    @Test(arguments: Backend.allCases)
    func burstOfLookupsSendsOneRequestPair(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("shared", body: .bytes(Data("x".utf8)), options: WriteOptions())
        let fs = h.fs
        let inodes = try await withThrowingTaskGroup(of: InodeNumber.self) { group in
            for _ in 0..<20 { group.addTask { try await fs.lookup(parent: 1, name: "shared").attributes.ino } }
            return try await group.reduce(into: Set<InodeNumber>()) { $0.insert($1) }
        }
        #expect(inodes.count == 1)
        #expect(h.store.requests(.headObject) == 1)
        #expect(h.store.requests(.listObjects) == 1)
    }

    /// The probe page is used once, and not after a local change: the listing then asks again.
    @Test(arguments: Backend.allCases)
    func aProbePageServesOneListingOnlyAndNotAfterALocalChange(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        for i in 0..<3 { try await h.raw.putObject("d/f\(i)", body: .bytes(Data()), options: WriteOptions()) }
        h.store.reset()
        _ = try await h.ino("d")
        #expect(h.store.requests(.listObjects) == 1)
        try await h.write("other", "changes the cache generation")
        h.store.reset()
        #expect(try await h.ls("d", plus: true).sorted() == ["f0", "f1", "f2"])
        #expect(h.store.requests(.listObjects) == 1, "a page fetched before a local change is not used")
    }

    /// By default (exact attributes): `ls -l` of N files, M links and a directory costs one listing,
    /// M GetSymlink and one HEAD per file and directory (for their stored mode, owner and times);
    /// within the TTL nothing; after it, the listing and the HEADs again (a chmod by another writer
    /// keeps the ETag, so the old metadata cannot be trusted), while link texts are kept.
    @Test(arguments: Backend.allCases, [true, false])
    func anExactListingHeadsEachEntryOnceAndThenNothing(_ backend: Backend, plus: Bool) async throws {
        let h = try await Harness(backend)
        let privateMode = String(UInt32(S_IFREG) | 0o600)
        for i in 0..<5 {
            try await h.raw.putObject("dir/f\(i)", body: .bytes(Data(count: i)),
                                      options: WriteOptions(userMetadata: ["mode": privateMode, "uid": "7"]))
        }
        for i in 0..<3 { try await h.raw.putSymlink("dir/l\(i)", target: "dir/f\(i)", options: WriteOptions()) }
        try await h.raw.putObject("dir/sub/x", body: .bytes(Data()), options: WriteOptions())
        _ = try await h.ino("dir")
        h.store.reset()
        let entries = try await h.entries("dir", plus: plus)
        for entry in entries where entry.name.hasPrefix("f") {
            let dir = try await h.ino("dir")
            let attributes = try await h.fs.lookup(parent: dir, name: entry.name).attributes
            #expect(attributes.mode == UInt32(S_IFREG) | 0o600)
            #expect(attributes.uid == 7)
            if let reply = entry.entry { #expect(reply.attributes == attributes) }
        }
        // The lookup of dir (before the reset) was one probe listing instead of HEAD + listing of
        // dir/, so the readdir lists dir/ itself: the same requests in all.
        #expect(h.store.requests(.listObjects) == 1, "\(h.store.summary)")
        #expect(h.store.requests(.getSymlink) == 3)
        #expect(h.store.requests(.headObject) == 6, "5 files and the marker of sub: \(h.store.summary)")
        h.store.reset()
        _ = try await h.entries("dir", plus: plus)
        #expect(h.store.total == 0, "\(h.store.summary)")
        h.clock.advance(h.configuration.attributeTimeout + 1)
        _ = try await h.ino("dir")
        h.store.reset()
        _ = try await h.entries("dir", plus: plus)
        #expect(h.store.requests(.headObject) == 6, "\(h.store.summary)")
        #expect(h.store.requests(.getSymlink) == 0, "\(h.store.summary)")
    }

    /// A directory that exists only as a key prefix is dated like a lookup dates it (the mount
    /// time), not 1970, whether a listing or a lookup saw it first.
    @Test(arguments: Backend.allCases)
    func implicitDirectoriesFromAListingCarryTheMountTime(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("top/implicit/x", body: .bytes(Data()), options: WriteOptions())
        let listed = try await h.entries("top", plus: true)
        let attributes = try #require(listed.first { $0.name == "implicit" }?.entry?.attributes)
        #expect(attributes.mtime > Timestamp(seconds: 86_400 * 365))
        #expect(attributes.mtime == (try await h.lstat("top")).mtime)
    }
}
