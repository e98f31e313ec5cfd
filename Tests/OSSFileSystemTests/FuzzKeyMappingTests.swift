import Foundation
@testable import OSSFileSystem
import XCTest
import TestSupport

/// Seeded fuzzing of the path/key mapping and the symlink rules (design.md "Paths and keys",
/// "Symbolic links"): hostile link texts and paths never crash; a stored link reads back exactly
/// the text `ln -s` was given; a target key never carries `.`, `..` or empty components; relative
/// texts resolve back to their keys. Iteration-bounded; see `FuzzInput`.
final class FuzzKeyMappingTests: XCTestCase {
    func testSymlinkTextsReadBackExactlyAndNeverTraverse() {
        FuzzInput.run(#function) { rng, context in
            let prefix = rng.pick(["", "p/", "a/b/", "ünï/çödé/"])
            let mountPoint = rng.pick(["/mnt/oss", "/mnt/oss/", "", "/"])
            let link = path(&rng, components: 1...4)
            let text = rng.chance(0.1) ? rng.anyString(maxScalars: 60) : linkText(&rng, mountPoint: mountPoint)
            let ctx = "\(context): ln -s \(text.debugDescription) \(link.debugDescription) [prefix \(prefix), mount \(mountPoint)]"
            do {
                switch try SymlinkTarget.representation(text: text, linkPath: link, prefix: prefix, mountPoint: mountPoint) {
                case .native(let key, let kept):
                    XCTAssertTrue(key.utf8.starts(with: prefix.utf8), ctx)
                    XCTAssertLessThanOrEqual(key.utf8.count, SymlinkTarget.maxKeyBytes, ctx)
                    // Byte-wise: "/" followed by a combining mark is one Character but still a separator.
                    let components = Array(key.utf8.dropFirst(prefix.utf8.count))
                        .split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Array($0) }
                    let inner = components.last == [] ? components.dropLast() : components[...]
                    XCTAssertFalse(inner.isEmpty, ctx)
                    XCTAssertFalse(inner.contains { $0.isEmpty || $0 == [0x2E] || $0 == [0x2E, 0x2E] }, "\(ctx): key \(key.debugDescription)")
                    let back = SymlinkTarget.readlinkText(linkPath: link, targetKey: key, keptText: kept, prefix: prefix,
                                                          mountPoint: mountPoint)
                    XCTAssertEqual(Array(back.utf8), Array(text.utf8), "\(ctx): readlink gave \(back.debugDescription)")
                case .legacy(let stored):
                    XCTAssertEqual(Array(stored.utf8), Array(text.utf8), ctx)
                    let resolved = SymlinkTarget.resolve(text: text, linkPath: link, mountPoint: mountPoint)
                    XCTAssertTrue(resolved == nil || resolved == "", "\(ctx): legacy link although it resolves to \(resolved!)")
                }
            } catch {
                let code = (error as Any as? FSError)?.errno
                XCTAssertTrue(code == ENAMETOOLONG || (code == ENOENT && text.isEmpty), "\(ctx): \(error)")
            }
        }
    }

    func testRelativeTextsResolveBackToTheirKeys() {
        FuzzInput.run(#function) { rng, context in
            let prefix = rng.pick(["", "p/", "a/b/"])
            let link = path(&rng, components: 1...5), target = path(&rng, components: 1...5)
            let text = SymlinkTarget.relativeText(linkPath: link, targetKey: prefix + target, prefix: prefix)
            let resolved = SymlinkTarget.resolve(text: text, linkPath: link, mountPoint: "")
            XCTAssertEqual(resolved.map { Array($0.utf8) }, Array(target.utf8), "\(context): \(link) -> \(text) -> \(resolved ?? "nil")")
            XCTAssertEqual(Array(SymlinkTarget.readlinkText(linkPath: link, targetKey: prefix + target, keptText: nil,
                                                            prefix: prefix, mountPoint: "").utf8), Array(text.utf8), context)
        }
    }

    func testPercentEncodingOfKeptTextsRoundTrips() {
        FuzzInput.run(#function) { rng, context in
            let s = rng.anyString(maxScalars: 80)
            XCTAssertEqual(SymlinkTarget.percentDecode(SymlinkTarget.percentEncode(s)).map { Array($0.utf8) }, Array(s.utf8), context)
            let hostile = String(decoding: rng.mutate(Array(SymlinkTarget.percentEncode(s).utf8)), as: UTF8.self)
            _ = SymlinkTarget.percentDecode(hostile)
        }
    }

    func testKeyMappingComposesAndSplitsPaths() {
        FuzzInput.run(#function) { rng, context in
            let rawPrefix = rng.pick(["", "p", "p/", "a/b", "a/b/"])
            let mapping = KeyMapping(prefix: rawPrefix)
            XCTAssertTrue(mapping.prefix.isEmpty || mapping.prefix.hasSuffix("/"), context)
            let parent = rng.chance(0.2) ? "" : path(&rng, components: 1...4)
            let name = validName(&rng)
            let child = KeyMapping.child(parent, name)
            XCTAssertEqual(Array(KeyMapping.parent(of: child).utf8), Array(parent.utf8), context)
            XCTAssertEqual(Array(KeyMapping.name(of: child).utf8), Array(name.utf8), context)
            XCTAssertEqual(Array(mapping.objectKey(child).utf8), Array((mapping.prefix + child).utf8), context)
            XCTAssertTrue(mapping.directoryPrefix(parent).hasSuffix("/") || mapping.directoryPrefix(parent).isEmpty, context)
            XCTAssertTrue(KeyMapping.isWithin(child, directory: parent), context)
            let to = path(&rng, components: 1...3)
            XCTAssertEqual(Array(KeyMapping.rebase(child, from: parent, to: to).utf8), Array(KeyMapping.child(to, name).utf8), context)
            let hostile = rng.chance(0.5) ? rng.anyString(maxScalars: 300) : String(repeating: "n", count: rng.int(250...260))
            if KeyMapping.isValidName(hostile) {
                XCTAssertLessThanOrEqual(hostile.utf8.count, 255, context)
                XCTAssertFalse(hostile.utf8.contains(0) || hostile.utf8.contains(UInt8(ascii: "/")), context)
                XCTAssertFalse(hostile == "." || hostile == ".." || hostile.isEmpty, context)
            } else {
                XCTAssertTrue(hostile.isEmpty || hostile == "." || hostile == ".." || hostile.utf8.count > 255
                              || hostile.utf8.contains(0) || hostile.utf8.contains(UInt8(ascii: "/")), "\(context): \(hostile.debugDescription)")
            }
        }
    }

    // MARK: Generators

    /// A POSIX name: 1...255 bytes, no "/" or NUL, not "." or "..".
    private func validName(_ rng: inout FuzzInput) -> String {
        while true {
            let pool: [String] = ["a", "b", "dir", "x y", "ünï", "文件", "😀", ".hidden", "...", "-", "%2F", "a\\b", "\u{301}e"]
            var name = ""
            for _ in 0..<rng.int(1...4) { name += rng.chance(0.7) ? rng.pick(pool) : rng.token(1...12) }
            if rng.chance(0.05) { name = String(repeating: "n", count: rng.int(200...255)) }
            if KeyMapping.isValidName(name) { return name }
        }
    }

    private func path(_ rng: inout FuzzInput, components: ClosedRange<Int>) -> String {
        (0..<rng.int(components)).map { _ in validName(&rng) }.joined(separator: "/")
    }

    /// A link text as people write them: relative climbs, "." and empty components, absolute
    /// paths inside or outside the mount, trailing slashes, very long texts.
    private func linkText(_ rng: inout FuzzInput, mountPoint: String) -> String {
        var parts: [String] = []
        for _ in 0..<rng.int(0...8) {
            parts.append(rng.pick(["..", ".", "", "a", "b", "dir", "ünï", "x y", "\u{301}e", "\u{301}"]) + (rng.chance(0.2) ? rng.token(1...5) : ""))
        }
        if rng.chance(0.02) { parts.append(String(repeating: "L", count: rng.int(900...4200))) }
        var text = parts.joined(separator: "/")
        switch rng.int(0...5) {
        case 0: text = mountPoint + "/" + text
        case 1: text = "/elsewhere/" + text
        case 2: text += "/"
        default: break
        }
        return text
    }
}
