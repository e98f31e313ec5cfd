import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// setattr persistence, extended attributes and read-only mounts, over every backend.
@Suite struct AttributeContractTests {
    @Test(arguments: Backend.allCases)
    func chmodChownUtimensPersistAcrossMounts(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "x")
        try await h.mkdir("d")
        try await h.raw.putObject("implicit/z", body: .bytes(Data()), options: WriteOptions())
        try await h.ln("f", "L")
        let mtime = Timestamp(seconds: 1_234_567_890)
        let changed = try await h.setattr("f", AttributeChanges(mode: 0o751, uid: 42, gid: 43, mtime: mtime))
        #expect(changed.mode == UInt32(S_IFREG) | 0o751)
        _ = try await h.setattr("d", AttributeChanges(mode: 0o711, mtime: mtime))
        _ = try await h.setattr("implicit", AttributeChanges(mode: 0o700))
        _ = try await h.setattr("L", AttributeChanges(uid: 7, mtime: mtime))
        let stored = try await h.raw.headObject("f").userMetadata
        #expect(stored["mode"] == String(UInt32(S_IFREG) | 0o751))
        #expect(stored["mtime"] == "1234567890")
        #expect(stored["uid"] == "42")
        let other = h.remount()
        let f = try await h.lstat("f", on: other)
        #expect(f.mode == UInt32(S_IFREG) | 0o751)
        #expect((f.uid, f.gid) == (42, 43))
        #expect(f.mtime == mtime)
        #expect(try await h.readText("f", on: other) == "x")
        let d = try await h.lstat("d", on: other)
        #expect(d.mode == UInt32(S_IFDIR) | 0o711)
        #expect(d.mtime == mtime)
        // Each on a fresh mount: from the third lookup in one directory a listing answers (default modes).
        #expect(try await h.lstat("implicit", on: h.remount()).mode == UInt32(S_IFDIR) | 0o700)
        let link = try await h.lstat("L", on: h.remount())
        #expect(link.uid == 7)
        #expect(link.mtime == mtime)
        #expect(try await h.readlink("L", on: other) == "f")
    }

    @Test(arguments: Backend.allCases)
    func listingOnlyEntriesShowDefaultsUntilHeaded(_ backend: Backend) async throws {
        var configuration = Harness.defaultConfiguration
        configuration.listingOnly = true  // what that mode trades away; the default shows stored attributes
        let h = try await Harness(backend, configuration: configuration)
        try await h.raw.putObject("f", body: .bytes(Data()), options: WriteOptions(userMetadata: ["mode": String(UInt32(S_IFREG) | 0o600)]))
        let listed = try await h.entries("")
        #expect(listed.first?.entry?.attributes.mode == UInt32(S_IFREG) | 0o644)
        // Once a HEAD has been done (here: a fresh lookup on another mount), its metadata is used,
        // and a later listing with the same ETag keeps it.
        let other = h.remount()
        #expect(try await h.lstat("f", on: other).mode == UInt32(S_IFREG) | 0o600)
        h.clock.advance(h.configuration.attributeTimeout + 1)
        #expect(try await h.entries("", on: other).first?.entry?.attributes.mode == UInt32(S_IFREG) | 0o600)
    }

    /// By default one HEAD per listed entry buys the stored modes and legacy links at once.
    @Test(arguments: Backend.allCases)
    func listedEntriesShowStoredAttributesFromTheListing(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("f", body: .bytes(Data()), options: WriteOptions(userMetadata: ["mode": String(UInt32(S_IFREG) | 0o600)]))
        try await h.raw.putObject("legacy", body: .bytes(Data("/etc/hostname".utf8)),
                                  options: WriteOptions(userMetadata: ["mode": String(UInt32(S_IFLNK) | 0o777)]))
        try await h.raw.putObject("d/", body: .bytes(Data()), options: WriteOptions(userMetadata: ["mode": String(UInt32(S_IFDIR) | 0o700)]))
        try await h.raw.putObject("implicit/x", body: .bytes(Data()), options: WriteOptions())
        try await h.raw.putSymlink("native", target: "f", options: WriteOptions())
        h.store.reset()
        let entries = try await h.entries("")
        var modes: [String: UInt32] = [:]
        for entry in entries { modes[entry.name] = entry.entry?.attributes.mode }
        #expect(modes == ["d": UInt32(S_IFDIR) | 0o700, "f": UInt32(S_IFREG) | 0o600, "implicit": UInt32(S_IFDIR) | 0o755,
                          "legacy": UInt32(S_IFLNK) | 0o777, "native": UInt32(S_IFLNK) | 0o777])
        #expect(entries.first { $0.name == "legacy" }?.entry?.attributes.size == 13)
        #expect(h.store.requests(.listObjects) == 1)
        #expect(h.store.requests(.getSymlink) == 1)
        #expect(h.store.requests(.headObject) == 4)
        h.store.reset()
        _ = try await h.entries("")
        #expect(h.store.total == 0)
    }

    @Test(arguments: Backend.allCases)
    func ownerOnlyChangesNeedTheOwner(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "x")
        let ino = try await h.ino("f")
        let stranger = CallerContext(uid: 5, gid: 5)
        #expect(await errnoOf { _ = try await h.fs.setattr(ino, changes: AttributeChanges(mode: 0o777), handle: nil, context: stranger) } == EPERM)
        #expect(await errnoOf { _ = try await h.fs.setattr(ino, changes: AttributeChanges(uid: 5), handle: nil, context: stranger) } == EPERM)
        _ = try await h.fs.setattr(ino, changes: AttributeChanges(mode: 0o600), handle: nil, context: CallerContext(uid: 1000, gid: 1000))
    }

    @Test(arguments: Backend.allCases)
    func extendedAttributes(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "hello")
        try await h.raw.putObject("sdk", body: .bytes(Data()), options: WriteOptions(userMetadata: ["color": "blue"]))
        try await h.ln("f", "L")
        let f = try await h.ino("f")
        let etag = try await h.raw.headObject("f").etag
        #expect(String(decoding: try await h.fs.getxattr(f, name: "user.oss.etag"), as: UTF8.self) == etag.replacingOccurrences(of: "\"", with: ""))
        #expect(String(decoding: try await h.fs.getxattr(f, name: "user.oss.object_type"), as: UTF8.self) == "Normal")
        #expect(String(decoding: try await h.fs.getxattr(f, name: "user.oss.storage_class"), as: UTF8.self) == "Standard")
        #expect(await errnoOf { _ = try await h.fs.getxattr(f, name: "user.oss.symlink_target") } == ENODATA)
        #expect(await errnoOf { _ = try await h.fs.getxattr(f, name: "user.meta.none") } == ENODATA)
        #expect(await errnoOf { _ = try await h.fs.getxattr(f, name: "security.selinux") } == ENOTSUP)
        #expect(try await h.fs.listxattr(f) == ["user.oss.etag", "user.oss.object_type", "user.oss.storage_class"])

        try await h.fs.setxattr(f, name: "user.meta.project", value: Data("ossfuse".utf8), flags: 0)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "user.meta.project", value: Data("x".utf8), flags: 1) } == EEXIST)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "user.meta.other", value: Data("x".utf8), flags: 2) } == ENODATA)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "user.oss.etag", value: Data("x".utf8), flags: 0) } == EPERM)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "user.meta.mode", value: Data("1".utf8), flags: 0) } == EPERM)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "user.meta.Bad_Name", value: Data("x".utf8), flags: 0) } == EINVAL)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "trusted.x", value: Data("x".utf8), flags: 0) } == ENOTSUP)
        #expect(try await h.raw.headObject("f").userMetadata["project"] == "ossfuse")
        #expect(try await h.raw.getObject("f", range: nil) == Data("hello".utf8))

        let other = h.remount()
        let f2 = try await h.ino("f", on: other)
        #expect(String(decoding: try await other.getxattr(f2, name: "user.meta.project"), as: UTF8.self) == "ossfuse")
        #expect(try await other.listxattr(f2).contains("user.meta.project"))
        #expect(!(try await other.listxattr(f2).contains("user.meta.mode")))
        try await other.removexattr(f2, name: "user.meta.project")
        #expect(await errnoOf { try await other.removexattr(f2, name: "user.meta.project") } == ENODATA)
        #expect(try await h.raw.headObject("f").userMetadata["project"] == nil)

        let sdk = try await h.ino("sdk")
        #expect(String(decoding: try await h.fs.getxattr(sdk, name: "user.meta.color"), as: UTF8.self) == "blue")
        // Links: their own facts, and metadata set by putting the link again.
        let link = try await h.ino("L")
        #expect(String(decoding: try await h.fs.getxattr(link, name: "user.oss.symlink_target"), as: UTF8.self) == "f")
        #expect(String(decoding: try await h.fs.getxattr(link, name: "user.oss.object_type"), as: UTF8.self) == "Symlink")
        // Linux reads no user.* attribute of a link: the same facts as trusted.oss.* (root).
        #expect(String(decoding: try await h.fs.getxattr(link, name: "trusted.oss.symlink_target"), as: UTF8.self) == "f")
        #expect(try await h.fs.listxattr(link).contains("trusted.oss.symlink_target"))
        #expect(!(try await h.fs.listxattr(link).contains { $0.hasPrefix("user.") }),
                "the kernel never asks for a link's user.* attributes: none is offered")
        #expect(await errnoOf { try await h.fs.setxattr(link, name: "trusted.oss.symlink_target", value: Data("x".utf8), flags: 0) } == EPERM)
        #expect(await errnoOf { _ = try await h.fs.getxattr(sdk, name: "trusted.oss.etag") } == ENODATA, "files use user.oss.*")
        try await h.fs.setxattr(link, name: "user.meta.note", value: Data("linked".utf8), flags: 0)
        let info = try await h.raw.getSymlink("L")
        #expect(info.userMetadata["note"] == "linked")
        #expect(info.target == "f")
        #expect(try await h.readlink("L", on: h.remount()) == "f")
    }

    @Test(arguments: Backend.allCases)
    func readOnlyMountRefusesEveryChange(_ backend: Backend) async throws {
        var configuration = Harness.defaultConfiguration
        configuration.readOnly = true
        let h = try await Harness(backend, configuration: configuration)
        try await h.raw.putObject("f", body: .bytes(Data("x".utf8)), options: WriteOptions())
        try await h.raw.putObject("d/", body: .bytes(Data()), options: WriteOptions())
        let f = try await h.ino("f")
        let c = CallerContext()
        h.store.reset()
        #expect(await errnoOf { _ = try await h.fs.create(parent: 1, name: "n", mode: 0o644, flags: O_WRONLY | O_CREAT, context: c) } == EROFS)
        #expect(await errnoOf { _ = try await h.fs.mknod(parent: 1, name: "n", mode: UInt32(S_IFREG) | 0o644, rdev: 0, context: c) } == EROFS)
        #expect(await errnoOf { _ = try await h.fs.mkdir(parent: 1, name: "n", mode: 0o755, context: c) } == EROFS)
        #expect(await errnoOf { _ = try await h.fs.symlink(parent: 1, name: "n", target: "f", context: c) } == EROFS)
        #expect(await errnoOf { try await h.fs.unlink(parent: 1, name: "f") } == EROFS)
        #expect(await errnoOf { try await h.fs.rmdir(parent: 1, name: "d") } == EROFS)
        #expect(await errnoOf { try await h.fs.rename(parent: 1, name: "f", newParent: 1, newName: "g", flags: 0) } == EROFS)
        #expect(await errnoOf { _ = try await h.fs.setattr(f, changes: AttributeChanges(mode: 0o600), handle: nil, context: c) } == EROFS)
        #expect(await errnoOf { try await h.fs.setxattr(f, name: "user.meta.a", value: Data("b".utf8), flags: 0) } == EROFS)
        #expect(await errnoOf { try await h.fs.removexattr(f, name: "user.meta.a") } == EROFS)
        #expect(await errnoOf { _ = try await h.fs.open(f, flags: O_WRONLY, context: c) } == EROFS)
        #expect(await errnoOf { _ = try await h.fs.open(f, flags: O_RDONLY | O_TRUNC, context: c) } == EROFS)
        #expect(await errnoOf { try await h.fs.access(f, mask: W_OK, context: c) } == EROFS)
        #expect(h.store.total == 0)
        #expect(try await h.readText("f") == "x")
    }
}
