import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// Legacy links as ossfuse writes them (AppendObject at 0) are links in listings too, on a fresh
/// mount; and the AppendObject rules both backends share.
@Suite struct LegacyLinkListingTests {
    static let linkMode = UInt32(S_IFLNK) | 0o777

    @Test(arguments: Backend.allCases)
    func appendObjectFollowsTheOSSRules(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        #expect(try await h.raw.appendObject("log", position: 0, body: .bytes(Data("abc".utf8)), options: WriteOptions()) == 3)
        #expect(try await h.raw.appendObject("log", position: 3, body: .bytes(Data("de".utf8)), options: WriteOptions()) == 5)
        #expect(try await h.raw.getObject("log", range: nil) == Data("abcde".utf8))
        #expect(try await h.raw.listObjects(prefix: "", delimiter: "/", continuationToken: nil, maxKeys: 10).contents.first?.type == .appendable)
        await #expect(throws: OSSError.self) {
            try await h.raw.appendObject("log", position: 1, body: .bytes(Data("x".utf8)), options: WriteOptions())
        }
        do {
            _ = try await h.raw.appendObject("log", position: 0, body: .bytes(Data("x".utf8)), options: WriteOptions())
            Issue.record("append at a wrong position succeeded")
        } catch let error as OSSError {
            #expect(error.code == "PositionNotEqualToLength")
        }
        try await h.raw.putObject("normal", body: .bytes(Data("n".utf8)), options: WriteOptions())
        do {
            _ = try await h.raw.appendObject("normal", position: 0, body: .bytes(Data("x".utf8)), options: WriteOptions())
            Issue.record("append onto a Normal object succeeded")
        } catch let error as OSSError {
            #expect(error.code == "ObjectNotAppendable")
        }
        // OSS does not copy appendable objects to another key.
        await #expect(throws: OSSError.self) { try await h.raw.copyObject(from: "log", to: "copy", replacing: nil) }
    }

    @Test(arguments: Backend.allCases)
    func legacyLinksShowAsLinksInAFreshMountsListing(_ backend: Backend) async throws {
        // Listing-only mode: what a listing alone recognises (by default every entry gets a HEAD).
        let h = try await Harness(backend, configuration: Harness.listingOnlyConfiguration)
        try await h.mkdir("d")
        try await h.ln("/etc/passwd", "d/abs")
        try await h.ln("../../up", "d/rel")
        try await h.write("d/file", "plain")
        try await h.raw.putObject("d/big", body: .bytes(Data(count: 5000)), options: WriteOptions())
        _ = try await h.raw.appendObject("d/log", position: 0, body: .bytes(Data("line\n".utf8)), options: WriteOptions())
        #expect(try await h.raw.headObject("d/abs").type == .appendable)
        #expect(try await h.raw.getObject("d/abs", range: nil) == Data("/etc/passwd".utf8))

        let other = h.remount()
        h.store.reset()
        let entries = try await h.entries("d", on: other)
        let modes = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.entry!.attributes.mode & UInt32(S_IFMT)) })
        #expect(modes == ["abs": UInt32(S_IFLNK), "rel": UInt32(S_IFLNK), "file": UInt32(S_IFREG),
                          "big": UInt32(S_IFREG), "log": UInt32(S_IFREG)])
        #expect(entries.first { $0.name == "abs" }?.entry?.attributes.size == 11)
        #expect(entries.first { $0.name == "rel" }?.entry?.attributes.size == 8)
        // One HEAD per small Appendable entry (abs, rel, log); the text comes with the HEAD.
        #expect(h.store.requests(.headObject) == 1 + 3)  // + the lookup of "d" (its marker; its probe is a listing)
        #expect(h.store.requests(.getObject) == 0)
        #expect(try await h.readlink("d/abs", on: other) == "/etc/passwd")
        // A repeat listing within the TTL costs nothing.
        h.store.reset()
        _ = try await h.entries("d", on: other)
        #expect(h.store.total == 0)
    }

    /// `cp -a`/`rsync -a` set owner and times on links: a legacy link stays Appendable (listed as a link).
    @Test(arguments: Backend.allCases)
    func attributeChangesKeepALegacyLinkVisible(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.ln("/etc/hosts", "L")
        let mtime = Timestamp(seconds: 1_234_567_890)
        _ = try await h.setattr("L", AttributeChanges(uid: 7, mtime: mtime))
        #expect(try await h.raw.headObject("L").type == .appendable)
        let entry = try #require(try await h.entries("", on: h.remount()).first { $0.name == "L" }?.entry)
        #expect(entry.attributes.mode == Self.linkMode)
        #expect(entry.attributes.uid == 7)
        #expect(entry.attributes.mtime == mtime)
        #expect(try await h.readlink("L", on: h.remount()) == "/etc/hosts")
    }

    @Test(arguments: Backend.allCases)
    func lnOntoAnExistingNameIsEEXISTForLegacyLinksToo(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("taken", body: .bytes(Data("x".utf8)), options: WriteOptions())
        _ = try await h.raw.appendObject("log", position: 0, body: .bytes(Data("x".utf8)), options: WriteOptions())
        let fresh = h.remount()
        for name in ["taken", "log"] {
            let error = await errnoOf { _ = try await fresh.symlink(parent: Harness.root, name: name, target: "/etc/x", context: CallerContext()) }
            #expect(error == EEXIST, "\(name)")
        }
        // A race with another writer (the name appears after the lookup): still EEXIST, nothing replaced.
        _ = try? await h.lstat("late")
        try await h.raw.putObject("late", body: .bytes(Data("mine".utf8)), options: WriteOptions())
        #expect(await errnoOf { try await h.ln("/etc/x", "late") } == EEXIST)
        #expect(try await h.raw.getObject("late", range: nil) == Data("mine".utf8))
    }

    @Test(arguments: Backend.allCases)
    func renamedLegacyLinksAreWrittenAgainAndStayVisible(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("a")
        try await h.ln("/etc/passwd", "a/L")
        try await h.write("victim", "old")
        try await h.mv("a/L", "victim")
        #expect(try await h.raw.headObject("victim").type == .appendable)
        await #expect(throws: OSSError.self) { try await h.raw.headObject("a/L") }
        let entries = try await h.entries("", on: h.remount())
        #expect(entries.first { $0.name == "victim" }?.entry?.attributes.mode == Self.linkMode)
        // Inside a renamed directory as well.
        try await h.ln("/outside", "a/M")
        try await h.mv("a", "b")
        let moved = try await h.entries("b", on: h.remount())
        #expect(moved.map(\.name) == ["M"])
        #expect(moved.first?.entry?.attributes.mode == Self.linkMode)
        #expect(try await h.readlink("b/M", on: h.remount()) == "/outside")
        // An appendable file that is not a link moves by GET + PUT (CopyObject refuses it).
        _ = try await h.raw.appendObject("log", position: 0, body: .bytes(Data("abc".utf8)), options: WriteOptions())
        try await h.mv("log", "b/log")
        #expect(try await h.readText("b/log", on: h.remount()) == "abc")
    }
}
