import Foundation
@testable import OSSFileSystem
import OSSProtocol
import Testing

/// The POSIX attributes of issue 13, without a kernel: what is stored, and what every path shows.
@Suite struct PosixAttributeTests {
    static let other = CallerContext(uid: 65534, gid: 65534)

    // MARK: - Pure rules

    @Test func timestampsKeepNanosecondsInTheFormS3fsWrites() {
        #expect(Timestamp(seconds: 1_577_934_245, nanoseconds: 544_915_234).metadataValue == "1577934245.544915234")
        #expect(Timestamp(seconds: 1_577_934_245).metadataValue == "1577934245")
        #expect(Timestamp(metadataValue: "1577934245.544915234") == Timestamp(seconds: 1_577_934_245, nanoseconds: 544_915_234))
        // A fraction is a fraction (rclone writes floats), whatever its number of digits.
        #expect(Timestamp(metadataValue: "12.2") == Timestamp(seconds: 12, nanoseconds: 200_000_000))
        #expect(Timestamp(metadataValue: "12.1234567891") == Timestamp(seconds: 12, nanoseconds: 123_456_789))
        #expect(Timestamp(metadataValue: "12") == Timestamp(seconds: 12))
        for bad in ["", "x", "12.", "12.3x", "1e9"] { #expect(Timestamp(metadataValue: bad) == nil, "\(bad)") }
        // Round trip of what a Date can hold, to the microsecond.
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(Timestamp(date) == Timestamp(seconds: 1_700_000_000, nanoseconds: 250_000_000))
    }

    @Test func writesByOthersClearSetuidAndSetgidAsLinuxDoes() {
        #expect(Permissions.withoutPrivileges(UInt32(S_IFREG) | 0o6777, inGroup: true) == UInt32(S_IFREG) | 0o777)
        #expect(Permissions.withoutPrivileges(0o6767, inGroup: true) == 0o2767)  // no g+x, writer in the group: kept
        #expect(Permissions.withoutPrivileges(0o6767, inGroup: false) == 0o767)
        #expect(Permissions.withoutPrivileges(0o755, inGroup: false) == 0o755)
        #expect(Permissions.onlyDropsPrivileges(from: 0o6777, to: 0o777))
        #expect(Permissions.onlyDropsPrivileges(from: 0o6777, to: 0o2777))
        #expect(!Permissions.onlyDropsPrivileges(from: 0o6777, to: 0o6777))
        #expect(!Permissions.onlyDropsPrivileges(from: 0o6777, to: 0o775))
        #expect(!Permissions.onlyDropsPrivileges(from: 0o777, to: 0o4777))
    }

    @Test func inodeSerialsDependOnlyOnTheKey() {
        #expect(InodeSerial.of(key: "a/b") == InodeSerial.of(key: "a/b"))
        #expect(InodeSerial.of(key: "a/b") != InodeSerial.of(key: "a/b/"))
        #expect(InodeSerial.of(key: "") > InodeSerial.root)
        let serials = Set((0..<10_000).map { InodeSerial.of(key: "dir/file-\($0)") })
        #expect(serials.count == 10_000)
        #expect(serials.allSatisfy { $0 < 1 << 63 })
    }

    // MARK: - Through the file system, over every backend

    /// Item 1: what a listing shows after a remount is the stored mode, not the default.
    @Test(arguments: Backend.allCases)
    func listingsAndBurstLookupsShowStoredModesAfterARemount(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("sub")
        for name in ["f", "sub/a", "sub/b", "sub/c", "sub/d"] {
            try await h.write(name, "secret")
            _ = try await h.setattr(name, AttributeChanges(mode: 0o600))
        }
        let other = h.remount()
        let listed = try await h.entries("sub", on: other)
        #expect(listed.count == 4)
        for entry in listed { #expect(entry.entry?.attributes.mode == UInt32(S_IFREG) | 0o600, "\(entry.name)") }
        // Lookups answered from a burst listing on a third mount.
        let third = h.remount()
        for name in ["a", "b", "c", "d"] {
            let attributes = try await third.lookup(parent: try await h.ino("sub", on: third), name: name).attributes
            #expect(attributes.mode == UInt32(S_IFREG) | 0o600, "\(name)")
        }
    }

    /// Item 3: the creator owns what it makes, also after a remount.
    @Test(arguments: Backend.allCases)
    func createdObjectsBelongToTheirCreator(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let root = Harness.root
        let (file, handle) = try await h.fs.create(parent: root, name: "f", mode: 0o644, flags: O_WRONLY | O_CREAT, context: Self.other)
        try await h.fs.release(file.attributes.ino, handle: handle)
        let dir = try await h.fs.mkdir(parent: root, name: "d", mode: 0o755, context: Self.other)
        _ = try await h.fs.symlink(parent: root, name: "L", target: "f", context: Self.other)
        _ = try await h.fs.mknod(parent: dir.attributes.ino, name: "p", mode: UInt32(S_IFIFO) | 0o644, rdev: 0, context: Self.other)
        let other = h.remount()
        for path in ["f", "d", "L", "d/p"] {
            let attributes = try await h.lstat(path, on: other)
            #expect((attributes.uid, attributes.gid) == (65534, 65534), "\(path)")
        }
        #expect(try await h.raw.headObject("f").userMetadata["uid"] == "65534")
    }

    /// Item 9: special files are empty objects whose mode carries the type (and rdev the device).
    @Test(arguments: Backend.allCases)
    func specialFilesRoundTrip(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let c = Harness.mountUser
        _ = try await h.fs.mknod(parent: Harness.root, name: "fifo", mode: UInt32(S_IFIFO) | 0o640, rdev: 0, context: c)
        _ = try await h.fs.mknod(parent: Harness.root, name: "sock", mode: UInt32(S_IFSOCK) | 0o755, rdev: 0, context: c)
        _ = try await h.fs.mknod(parent: Harness.root, name: "null", mode: UInt32(S_IFCHR) | 0o666, rdev: 0x0103, context: c)
        _ = try await h.fs.mknod(parent: Harness.root, name: "loop", mode: UInt32(S_IFBLK) | 0o660, rdev: 0x0700, context: c)
        let stored = try await h.raw.headObject("null")
        #expect(stored.contentLength == 0)
        #expect(stored.userMetadata["mode"] == String(UInt32(S_IFCHR) | 0o666))
        #expect(stored.userMetadata["rdev"] == String(0x0103))
        let other = h.remount()
        let expected: [String: UInt32] = ["fifo": UInt32(S_IFIFO) | 0o640, "sock": UInt32(S_IFSOCK) | 0o755,
                                          "null": UInt32(S_IFCHR) | 0o666, "loop": UInt32(S_IFBLK) | 0o660]
        for (name, mode) in expected { #expect(try await h.lstat(name, on: other).mode == mode, "\(name)") }
        #expect(try await h.lstat("null", on: other).rdev == 0x0103)
        let listed = try await h.entries("", on: h.remount())
        for entry in listed { #expect(entry.entry?.attributes.mode == expected[entry.name], "\(entry.name)") }
        // Renamed like files; removed like files.
        try await h.mv("fifo", "fifo2")
        #expect(try await h.lstat("fifo2", on: h.remount()).mode == UInt32(S_IFIFO) | 0o640)
        try await h.rm("fifo2")
        #expect(await errnoOf { _ = try await h.raw.headObject("fifo2") } == -1)
    }

    /// Items 6 and 10: nanosecond times stored as set; ctime moves on chmod; a rename keeps mtime.
    @Test(arguments: Backend.allCases)
    func timesKeepNanosecondsAndCtimeMovesOnChanges(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "x")
        let mtime = Timestamp(seconds: 1_577_934_245, nanoseconds: 544_915_234)
        h.clock.advance(1)
        _ = try await h.setattr("f", AttributeChanges(mtime: mtime))
        #expect(try await h.raw.headObject("f").userMetadata["mtime"] == "1577934245.544915234")
        let afterTouch = try await h.lstat("f", on: h.remount())
        #expect(afterTouch.mtime == mtime)
        h.clock.advance(5)
        _ = try await h.setattr("f", AttributeChanges(mode: 0o600))
        let afterChmod = try await h.lstat("f", on: h.remount())
        #expect(afterChmod.mtime == mtime)
        #expect(afterChmod.ctime > afterTouch.ctime)
        h.clock.advance(5)
        try await h.mv("f", "g")
        let renamed = try await h.lstat("g")
        #expect(renamed.mtime == mtime)
        #expect(renamed.mode == UInt32(S_IFREG) | 0o600)
        #expect(renamed.ctime > afterChmod.ctime)
        #expect(try await h.lstat("g", on: h.remount()) == Self.withIno(renamed, try await h.lstat("g", on: h.remount())))
    }

    /// Item 10: a directory's times move when entries come and go here.
    @Test(arguments: Backend.allCases)
    func directoryTimesMoveWithTheirEntries(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d")
        let made = try await h.lstat("d")
        h.clock.advance(3)
        try await h.write("d/f", "x")
        let added = try await h.lstat("d")
        #expect(added.mtime > made.mtime)
        #expect(added.ctime == added.mtime)
        h.clock.advance(3)
        try await h.rm("d/f")
        #expect(try await h.lstat("d").mtime > added.mtime)
        // A time set explicitly wins (and is stored).
        let set = Timestamp(seconds: 1_000_000_000, nanoseconds: 5)
        _ = try await h.setattr("d", AttributeChanges(mtime: set))
        #expect(try await h.lstat("d").mtime == set)
        #expect(try await h.lstat("d", on: h.remount()).mtime == set)
    }

    /// Items 2 and 7: the attributes of a renamed file are its own at once, also over an existing one.
    @Test(arguments: Backend.allCases)
    func renameOverAnExistingFileShowsTheMovedAttributes(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("original", "old")
        _ = try await h.lstat("original")
        let (temp, handle) = try await h.fs.create(parent: Harness.root, name: ".tmp", mode: 0o600,
                                                   flags: O_WRONLY | O_CREAT | O_EXCL, context: Self.other)
        _ = try await h.fs.write(temp.attributes.ino, handle: handle, offset: 0, data: Data("new".utf8))
        try await h.fs.release(temp.attributes.ino, handle: handle)
        try await h.mv(".tmp", "original")
        let shown = try await h.lstat("original")
        #expect(shown.mode == UInt32(S_IFREG) | 0o600)
        #expect((shown.uid, shown.gid) == (65534, 65534))
        #expect(shown.serial == InodeSerial.of(key: "original"))
        #expect(try await h.readText("original") == "new")
    }

    /// Item 4: ftruncate through a descriptor opened for writing needs no write permission now.
    @Test(arguments: Backend.allCases)
    func ftruncateThroughAWritingHandleIgnoresTheMode(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let (file, handle) = try await h.fs.create(parent: Harness.root, name: "f", mode: 0, flags: O_WRONLY | O_CREAT,
                                                   context: Self.other)
        let ino = file.attributes.ino
        let truncated = try await h.fs.setattr(ino, changes: AttributeChanges(size: 10), handle: handle, context: Self.other)
        #expect(truncated.0.size == 10)
        // Without the descriptor the mode still decides.
        #expect(await errnoOf { _ = try await h.fs.setattr(ino, changes: AttributeChanges(size: 5), handle: nil, context: Self.other) } == EACCES)
        try await h.fs.release(ino, handle: handle)
        #expect(try await h.raw.headObject("f").contentLength == 10)
    }

    /// Item 5: a write by another user clears setuid/setgid; the kernel's own request for it
    /// (a mode change that only drops them) is accepted from that user.
    @Test(arguments: Backend.allCases)
    func writesByAnotherUserClearSetuid(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "x")
        _ = try await h.setattr("f", AttributeChanges(mode: 0o6777))
        let ino = try await h.ino("f")
        let handle = try await h.fs.open(ino, flags: O_WRONLY, context: Self.other).handle
        _ = try await h.fs.write(ino, handle: handle, offset: 1, data: Data("y".utf8))
        #expect(try await h.fs.getattr(ino).0.mode == UInt32(S_IFREG) | 0o777)
        try await h.fs.release(ino, handle: handle)
        #expect(try await h.lstat("f", on: h.remount()).mode == UInt32(S_IFREG) | 0o777)
        _ = try await h.setattr("f", AttributeChanges(mode: 0o6777))
        let killed = try await h.fs.setattr(ino, changes: AttributeChanges(mode: 0o777), handle: nil, context: Self.other)
        #expect(killed.0.mode == UInt32(S_IFREG) | 0o777)
        #expect(await errnoOf { _ = try await h.fs.setattr(ino, changes: AttributeChanges(mode: 0o600), handle: nil, context: Self.other) } == EPERM)
    }

    /// Item 8: st_ino does not change when the kernel forgets an inode, nor across mounts.
    @Test(arguments: Backend.allCases)
    func inodeNumbersAreStableForAKey(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("d")
        try await h.write("d/f", "x")
        let first = try await h.fs.lookup(parent: try await h.ino("d"), name: "f").attributes
        h.fs.forget(first.ino, lookups: 2)
        let again = try await h.lstat("d/f")
        #expect(again.serial == first.serial)
        #expect(try await h.lstat("d/f", on: h.remount()).serial == first.serial)
        let listed = try await h.entries("d", plus: false, on: h.remount())
        #expect(listed.first?.ino == first.serial, "d_ino is st_ino")
    }

    /// OSS does not copy appendable objects, not even onto themselves: chmod, touch and rename of
    /// one (a log written with AppendObject, or a legacy link ossfuse wrote) rewrite it instead, and
    /// the content and the new attributes both arrive. The server runs with
    /// `--refuse-appendable-copy`, so a copy would fail these.
    @Test(arguments: Backend.allCases)
    func appendableObjectsAreRewrittenNotCopied(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let body = Data((0..<100_000).map { UInt8($0 % 251) })
        _ = try await h.raw.appendObject("log", position: 0, body: .bytes(body), options: WriteOptions())
        try await h.ln("/etc/hostname", "legacy")
        #expect(try await h.raw.headObject("legacy").type == .appendable)
        let mtime = Timestamp(seconds: 1_600_000_000, nanoseconds: 7)
        _ = try await h.setattr("log", AttributeChanges(mode: 0o600, mtime: mtime))
        _ = try await h.setattr("legacy", AttributeChanges(uid: 7, mtime: mtime))
        let other = h.remount()
        let log = try await h.lstat("log", on: other)
        #expect(log.mode == UInt32(S_IFREG) | 0o600)
        #expect(log.mtime == mtime)
        #expect(try await h.read("log", on: other) == body)
        let legacy = try await h.lstat("legacy", on: other)
        #expect((legacy.uid, legacy.mtime) == (7, mtime))
        #expect(try await h.readlink("legacy", on: other) == "/etc/hostname")
        #expect(try await h.raw.headObject("legacy").type == .appendable, "still listed as a link candidate")
        try await h.raw.deleteObject("log")
        _ = try await h.raw.appendObject("log2", position: 0, body: .bytes(body), options: WriteOptions())
        try await h.mv("log2", "moved")
        #expect(try await h.read("moved", on: h.remount()) == body)
        #expect(await errnoOf { _ = try await h.raw.headObject("log2") } == -1)
    }

    /// chmod, touch, rename and an edit through the mount keep the object's Cache-Control,
    /// Content-Disposition, ... (a copy with REPLACE, or a new version, would otherwise drop them).
    @Test(arguments: Backend.allCases)
    func contentHeadersSurviveMetadataChangesRenamesAndEdits(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let headers = ["Cache-Control": "max-age=60", "Content-Disposition": "attachment; filename=\"r.csv\"",
                       "Content-Encoding": "identity", "Content-Language": "en", "Expires": "Wed, 21 Oct 2037 07:28:00 GMT"]
        _ = try await h.raw.putObject("f", body: .bytes(Data("a,b\n".utf8)),
                                      options: WriteOptions(contentType: "text/csv", contentHeaders: headers))
        _ = try await h.setattr("f", AttributeChanges(mode: 0o600, mtime: Timestamp(seconds: 1_000_000_000)))
        #expect(try await h.raw.headObject("f").contentHeaders == headers)
        try await h.mv("f", "g")
        #expect(try await h.raw.headObject("g").contentHeaders == headers)
        try await h.write("g", "c,d\n")
        let stored = try await h.raw.headObject("g")
        #expect(stored.contentHeaders == headers)
        #expect(stored.contentType == "text/csv")
    }

    /// A rename keeps the storage class (a copy without the header would take the bucket's).
    @Test(arguments: Backend.allCases)
    func renameKeepsTheStorageClass(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        _ = try await h.raw.putObject("cold", body: .bytes(Data("x".utf8)), options: WriteOptions(storageClass: "IA"))
        #expect(try await h.raw.headObject("cold").storageClass == "IA")
        try await h.mv("cold", "moved")
        #expect(try await h.raw.headObject("moved").storageClass == "IA")
    }

    /// The same attributes with another node id (each mount hands out its own).
    static func withIno(_ attributes: FileAttributes, _ like: FileAttributes) -> FileAttributes {
        var attributes = attributes
        attributes.ino = like.ino
        return attributes
    }
}
