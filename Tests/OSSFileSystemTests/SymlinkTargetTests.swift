import Foundation
import OSSFileSystem
import Testing

/// The symlink rules of design.md, table-driven and without I/O.
@Suite struct SymlinkTargetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var link: String
        var prefix = ""
        var mountPoint = "/mnt/oss"
        var expected: SymlinkRepresentation
        var testDescription: String { "\(link) -> \(text) [\(prefix)]" }
    }

    static let cases: [Case] = [
        Case(text: "a.jpg", link: "L", expected: .native(targetKey: "a.jpg", keptText: "a.jpg")),
        Case(text: "../img/a.jpg", link: "docs/L", expected: .native(targetKey: "img/a.jpg", keptText: "../img/a.jpg")),
        Case(text: "./x/../y", link: "d/L", expected: .native(targetKey: "d/y", keptText: "./x/../y")),
        Case(text: "sub//z", link: "d/L", expected: .native(targetKey: "d/sub/z", keptText: "sub//z")),
        Case(text: "dir/", link: "L", expected: .native(targetKey: "dir/", keptText: "dir/")),
        // Absolute inside the mount point: relative to the mount root.
        Case(text: "/mnt/oss/img/a.jpg", link: "docs/L", expected: .native(targetKey: "img/a.jpg", keptText: "/mnt/oss/img/a.jpg")),
        Case(text: "/mnt/oss/../oss/b", link: "L", expected: .native(targetKey: "b", keptText: "/mnt/oss/../oss/b")),
        // Absolute outside the mount point, or no mount point known: legacy.
        Case(text: "/etc/passwd", link: "L", expected: .legacy(text: "/etc/passwd")),
        Case(text: "/mnt/ossother/x", link: "L", expected: .legacy(text: "/mnt/ossother/x")),
        Case(text: "/mnt/oss/x", link: "L", mountPoint: "", expected: .legacy(text: "/mnt/oss/x")),
        // `..` climbing out of the mount root: legacy.
        Case(text: "../outside", link: "L", expected: .legacy(text: "../outside")),
        Case(text: "../../x", link: "a/L", expected: .legacy(text: "../../x")),
        Case(text: "..", link: "a/L", expected: .legacy(text: "..")),
        // The mount root of a bucket mount, and keys OSS refuses ("\" first): legacy.
        Case(text: ".", link: "L", expected: .legacy(text: ".")),
        Case(text: "\\x", link: "L", expected: .legacy(text: "\\x")),
        Case(text: ".", link: "d/L", expected: .native(targetKey: "d", keptText: ".")),
        // Prefix mounts: the key carries the prefix; climbing above the prefix leaves the mount.
        Case(text: "../img/a.jpg", link: "docs/L", prefix: "p/", expected: .native(targetKey: "p/img/a.jpg", keptText: "../img/a.jpg")),
        Case(text: "/mnt/oss/x", link: "docs/L", prefix: "p/q/", expected: .native(targetKey: "p/q/x", keptText: "/mnt/oss/x")),
        Case(text: "../p/x", link: "L", prefix: "p/", expected: .legacy(text: "../p/x")),
        // Spaces, UTF-8, "%" and "+" are kept as they are (the store encodes the header).
        Case(text: "my file.txt", link: "L", expected: .native(targetKey: "my file.txt", keptText: "my file.txt")),
        Case(text: "图片/文件 1.jpg", link: "文档/L", expected: .native(targetKey: "文档/图片/文件 1.jpg", keptText: "图片/文件 1.jpg")),
        Case(text: "100%+a+b.txt", link: "L", expected: .native(targetKey: "100%+a+b.txt", keptText: "100%+a+b.txt")),
    ]

    @Test(arguments: cases)
    func representation(_ c: Case) throws {
        #expect(try SymlinkTarget.representation(text: c.text, linkPath: c.link, prefix: c.prefix, mountPoint: c.mountPoint) == c.expected)
    }

    struct Back: Sendable, CustomTestStringConvertible {
        var link: String
        var targetKey: String
        var kept: String?
        var prefix = ""
        var expected: String
        var testDescription: String { "\(link) => \(targetKey)" }
    }

    static let readlinkCases: [Back] = [
        // Links made by an SDK (no kept text): relative from the link's directory.
        Back(link: "docs/L", targetKey: "img/a.jpg", expected: "../img/a.jpg"),
        Back(link: "L", targetKey: "img/a.jpg", expected: "img/a.jpg"),
        Back(link: "a/b/c/L", targetKey: "a/x", expected: "../../x"),
        Back(link: "a/L", targetKey: "a/b/c", expected: "b/c"),
        Back(link: "a/L", targetKey: "a", expected: "../a"),
        Back(link: "a/L", targetKey: "dir/", expected: "../dir/"),
        Back(link: "docs/L", targetKey: "p/img/a.jpg", prefix: "p/", expected: "../img/a.jpg"),
        // Outside the prefix: climbs out of the mount to the key.
        Back(link: "L", targetKey: "other/x", prefix: "p/", expected: "../other/x"),
        // Kept text wins while it still names the target key.
        Back(link: "docs/L", targetKey: "img/a.jpg", kept: "./../img//a.jpg", expected: "./../img//a.jpg"),
        Back(link: "docs/L", targetKey: "img/a.jpg", kept: "/mnt/oss/img/a.jpg", expected: "/mnt/oss/img/a.jpg"),
        // A kept text that no longer matches (the link was copied elsewhere by another tool) is ignored.
        Back(link: "moved/deeper/L", targetKey: "img/a.jpg", kept: "../img/a.jpg", expected: "../../img/a.jpg"),
        Back(link: "L", targetKey: "图片/a b%+.jpg", expected: "图片/a b%+.jpg"),
    ]

    @Test(arguments: readlinkCases)
    func readlinkText(_ c: Back) {
        #expect(SymlinkTarget.readlinkText(linkPath: c.link, targetKey: c.targetKey, keptText: c.kept,
                                           prefix: c.prefix, mountPoint: "/mnt/oss") == c.expected)
    }

    @Test func refusesWhatCannotBeStored() throws {
        #expect(throws: FSError(ENOENT)) { try SymlinkTarget.representation(text: "", linkPath: "L", prefix: "", mountPoint: "") }
        let long = String(repeating: "a", count: 4096)
        #expect(throws: FSError(ENAMETOOLONG)) { try SymlinkTarget.representation(text: long, linkPath: "L", prefix: "", mountPoint: "") }
        let longKey = String(repeating: "abcdefgh/", count: 114) + "x"  // 1027 bytes
        #expect(throws: FSError(ENAMETOOLONG)) { try SymlinkTarget.representation(text: longKey, linkPath: "L", prefix: "", mountPoint: "") }
        // A long text that leaves the mount is stored as a legacy link, whatever its length.
        let outside = "/" + String(repeating: "b", count: 2000)
        #expect(try SymlinkTarget.representation(text: outside, linkPath: "L", prefix: "", mountPoint: "") == .legacy(text: outside))
    }

    @Test func percentEncodingRoundTrips() {
        for text in ["../img/a b.jpg", "文件%2F+x", "a\u{0C}b!@#$%^&*()"] {
            let encoded = SymlinkTarget.percentEncode(text)
            #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 })
            #expect(SymlinkTarget.percentDecode(encoded) == text)
        }
        #expect(SymlinkTarget.percentEncode("a b+c%") == "a%20b%2Bc%25")
        #expect(SymlinkTarget.percentDecode("a+b") == "a+b")
    }
}
