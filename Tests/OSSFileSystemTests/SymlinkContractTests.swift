import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// Native and legacy links, over every backend.
@Suite struct SymlinkContractTests {
    static let linkMode = UInt32(S_IFLNK) | 0o777

    @Test(arguments: Backend.allCases)
    func lnStoresANativeLinkAndReadlinkReturnsTheTextAsWritten(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("img")
        try await h.write("img/a.jpg", "jpeg")
        try await h.mkdir("docs")
        for text in ["../img/a.jpg", "./../img//a.jpg"] {
            let name = "docs/L\(text.count)"
            let reply = try await h.ln(text, name)
            #expect(reply.attributes.mode == Self.linkMode)
            #expect(reply.attributes.size == UInt64(text.utf8.count))
            #expect(try await h.readlink(name) == text)
            let info = try await h.raw.getSymlink(name)
            #expect(info.target == "img/a.jpg")
            #expect(info.userMetadata["ossfuse-target"].flatMap { SymlinkTarget.percentDecode($0) } == text)
            // Another mount sees the same text and size, and the object through the link is the target.
            let other = h.remount()
            #expect(try await h.readlink(name, on: other) == text)
            #expect(try await h.lstat(name, on: other).size == UInt64(text.utf8.count))
            #expect(try await h.lstat(name, on: other).mode == Self.linkMode)
            #expect(try await h.raw.getObject(name, range: nil) == Data("jpeg".utf8))
        }
    }

    @Test(arguments: Backend.allCases)
    func linksMadeByAnSDKReadAsRelativePaths(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putObject("img/a.jpg", body: .bytes(Data("x".utf8)), options: WriteOptions())
        try await h.raw.putSymlink("docs/deep/L", target: "img/a.jpg", options: WriteOptions())
        try await h.raw.putSymlink("top", target: "img/a.jpg", options: WriteOptions())
        #expect(try await h.readlink("docs/deep/L") == "../../img/a.jpg")
        #expect(try await h.lstat("docs/deep/L").size == UInt64("../../img/a.jpg".utf8.count))
        #expect(try await h.readlink("top", on: h.remount()) == "img/a.jpg")
        // Through a listing (readdirplus) as well.
        let entries = try await h.entries("docs/deep", on: h.remount())
        #expect(entries.map(\.name) == ["L"])
        #expect(entries.first?.entry?.attributes.size == UInt64("../../img/a.jpg".utf8.count))
        #expect(entries.first?.entry?.attributes.mode == Self.linkMode)
    }

    @Test(arguments: Backend.allCases)
    func danglingLinksAndLinksToLinksAreStillLinks(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.raw.putSymlink("dangling", target: "nowhere", options: WriteOptions())
        try await h.raw.putObject("real", body: .bytes(Data()), options: WriteOptions())
        try await h.raw.putSymlink("first", target: "real", options: WriteOptions())
        try await h.raw.putSymlink("second", target: "first", options: WriteOptions())
        for (name, text) in [("dangling", "nowhere"), ("second", "first"), ("first", "real")] {
            #expect(try await h.lstat(name).mode == Self.linkMode, "\(name)")
            #expect(try await h.readlink(name) == text)
        }
        let made = try await h.ln("missing/target", "mine")
        #expect(made.attributes.mode == Self.linkMode)
        #expect(try await h.readlink("mine", on: h.remount()) == "missing/target")
    }

    @Test(arguments: Backend.allCases)
    func linkToADirectory(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("dir")
        try await h.write("dir/f", "1")
        try await h.ln("dir", "to-dir")
        try await h.ln("dir/", "to-dir-slash")
        #expect(try await h.raw.getSymlink("to-dir").target == "dir")
        #expect(try await h.raw.getSymlink("to-dir-slash").target == "dir/")
        #expect(try await h.readlink("to-dir", on: h.remount()) == "dir")
        #expect(try await h.readlink("to-dir-slash", on: h.remount()) == "dir/")
        #expect(try await h.lstat("to-dir").mode == Self.linkMode)
    }

    @Test(arguments: Backend.allCases)
    func existingNamesAndTooLongNamesAreRefused(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.write("f", "x")
        try await h.mkdir("d")
        try await h.ln("f", "L")
        #expect(await errnoOf { try await h.ln("g", "L") } == EEXIST)
        #expect(await errnoOf { try await h.ln("g", "f") } == EEXIST)
        #expect(await errnoOf { try await h.ln("g", "d") } == EEXIST)
        #expect(try await h.readlink("L") == "f")
        // Another writer made the name meanwhile (our cache says absent): forbid-overwrite says EEXIST.
        #expect(await errnoOf { _ = try await h.lstat("race") } == ENOENT)
        try await h.raw.putObject("race", body: .bytes(Data("theirs".utf8)), options: WriteOptions())
        #expect(await errnoOf { try await h.ln("g", "race") } == EEXIST)
        #expect(try await h.raw.getObject("race", range: nil) == Data("theirs".utf8))
        // Names over 255 bytes, texts over 4095 bytes, and targets whose key would pass 1023 bytes.
        #expect(await errnoOf { try await h.ln("g", String(repeating: "n", count: 256)) } == ENAMETOOLONG)
        #expect(await errnoOf { try await h.ln(String(repeating: "t", count: 4096), "long1") } == ENAMETOOLONG)
        let deepKey = Array(repeating: String(repeating: "k", count: 200), count: 6).joined(separator: "/")
        #expect(await errnoOf { try await h.ln(deepKey, "long2") } == ENAMETOOLONG)
        #expect(await errnoOf { try await h.ln("", "empty") } == ENOENT)
        #expect(try await h.ls("") == ["L", "d", "f", "race"])
    }

    @Test(arguments: Backend.allCases)
    func targetsLeavingTheMountAreLegacyLinks(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.ln("/etc/passwd", "abs")
        try await h.mkdir("d")
        try await h.ln("../../up", "d/rel")
        let stored = try await h.raw.headObject("abs")
        #expect(stored.type != .symlink)
        #expect(stored.userMetadata["mode"] == String(Self.linkMode))
        #expect(try await h.raw.getObject("abs", range: nil) == Data("/etc/passwd".utf8))
        let other = h.remount()
        #expect(try await h.readlink("abs", on: other) == "/etc/passwd")
        #expect(try await h.lstat("d/rel", on: other).mode == Self.linkMode)
        #expect(try await h.lstat("d/rel", on: other).size == 8)
        #expect(try await h.readlink("d/rel", on: other) == "../../up")
    }

    @Test(arguments: Backend.allCases)
    func legacyLinksWrittenByOtherToolsAreRead(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        let mode = ["mode": String(Self.linkMode)]
        // s3fs / ossfs 1.x: body = target text.
        try await h.raw.putObject("s3fs-link", body: .bytes(Data("target/file".utf8)), options: WriteOptions(userMetadata: mode))
        // Some ossfs 1.x versions: empty body, target in x-oss-meta-symlink-target.
        try await h.raw.putObject("ossfs-link", body: .bytes(Data()),
                                  options: WriteOptions(userMetadata: mode.merging(["symlink-target": "other%20file"]) { $1 }))
        #expect(try await h.readlink("s3fs-link") == "target/file")
        #expect(try await h.lstat("s3fs-link").size == 11)
        #expect(try await h.readlink("ossfs-link") == "other file")
        #expect(try await h.lstat("ossfs-link").mode == Self.linkMode)
    }

    @Test(arguments: Backend.allCases)
    func prefixMountsResolveAgainstTheMountRoot(_ backend: Backend) async throws {
        var configuration = Harness.defaultConfiguration
        configuration.prefix = "p/"
        configuration.mountPoint = "/mnt/oss"
        let h = try await Harness(backend, configuration: configuration)
        try await h.mkdir("docs")
        try await h.ln("../img/a b+c%.jpg", "docs/L")
        try await h.ln("/mnt/oss/img/x", "docs/abs")
        #expect(try await h.raw.getSymlink("p/docs/L").target == "p/img/a b+c%.jpg")
        #expect(try await h.raw.getSymlink("p/docs/abs").target == "p/img/x")
        #expect(try await h.readlink("docs/L", on: h.remount()) == "../img/a b+c%.jpg")
        #expect(try await h.readlink("docs/abs", on: h.remount()) == "/mnt/oss/img/x")
        try await h.raw.putSymlink("p/docs/sdk", target: "elsewhere/y", options: WriteOptions())
        h.clock.advance(h.configuration.negativeTimeout + 1)  // "docs" was made here: new names show after that
        #expect(try await h.readlink("docs/sdk") == "../../elsewhere/y")
    }

    @Test(arguments: Backend.allCases)
    func unicodeAndSpecialCharactersRoundTrip(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        try await h.mkdir("文档")
        for text in ["图片/文件 1.jpg", "100%+a+b.txt", "with space", "a&b=c?d#e"] {
            let name = "文档/" + String(text.unicodeScalars.count)
            try await h.ln(text, name)
            #expect(try await h.readlink(name, on: h.remount()) == text)
            #expect(try await h.lstat(name, on: h.remount()).size == UInt64(text.utf8.count))
        }
        #expect(try await h.raw.getSymlink("文档/11").target == "文档/图片/文件 1.jpg")
    }
}
