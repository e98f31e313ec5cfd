import Foundation
import OSSFileSystem
import TestSupport
import XCTest

/// Random operation sequences applied to a real mount and to `NamespaceModel`, compared after
/// every step (the whole tree: types, file contents, link texts) and after remounts.
final class ReferenceModelMountTests: MountTestCase {
    private let names = ["a", "b", "c d", "é+%"]

    func testRandomOperationSequencesMatchTheModel() throws {
        for seed: UInt64 in 1...6 {
            let m = try mount(prefix: "seed\(seed)")  // each sequence starts from an empty tree
            var random = SeededGenerator(seed: seed)
            var model = NamespaceModel()
            for step in 0..<120 {
                let description = apply(randomOperation(&random, model: model), to: &model, mount: m)
                let actual = try snapshot(m.mountPoint)
                if actual != model.nodes {
                    XCTFail("seed \(seed) step \(step) \(description): mount and model differ\n"
                            + NamespaceModel.difference(actual, model.nodes) + "\nossfuse log:\n\(m.log)")
                    return
                }
                if step % 40 == 39 {
                    try m.remount()
                    let remounted = try snapshot(m.mountPoint)
                    if remounted != model.nodes {
                        XCTFail("seed \(seed) after a remount at step \(step):\n" + NamespaceModel.difference(remounted, model.nodes))
                        return
                    }
                }
            }
            m.unmount()
        }
    }

    private enum Operation {
        case write(String, Data), append(String, Data), mkdir(String), symlink(String, String)
        case unlink(String), rmdir(String), rename(String, String)
    }

    private func randomPath(_ random: inout SeededGenerator, model: NamespaceModel) -> String {
        let existingDirectories = model.nodes.filter { $0.value == .directory }.map(\.key).sorted()
        let base = random.next(3) == 0 || existingDirectories.isEmpty ? "" : existingDirectories[random.next(existingDirectories.count)]
        let name = names[random.next(names.count)]
        return base.isEmpty ? name : base + "/" + name
    }

    private func randomOperation(_ random: inout SeededGenerator, model: NamespaceModel) -> Operation {
        let path = randomPath(&random, model: model)
        let bytes = Data((0..<random.next(3000)).map { _ in UInt8(truncatingIfNeeded: random.next(256)) })
        switch random.next(9) {
        case 0, 1: return .write(path, bytes)
        case 2: return .append(path, bytes)
        case 3: return .mkdir(path)
        case 4: return .symlink(random.next(2) == 0 ? names[random.next(names.count)] : "../" + names[0], path)
        case 5: return .unlink(path)
        case 6: return .rmdir(path)
        default: return .rename(path, randomPath(&random, model: model))
        }
    }

    /// Applies `operation` to the mount and the model; records a mismatch of outcomes as a failure.
    private func apply(_ operation: Operation, to model: inout NamespaceModel, mount: MountedBucket) -> String {
        let root = mount.mountPoint + "/"
        let expected: Int32, actual: Int32, text: String
        switch operation {
        case .write(let path, let data):
            // Writing through a link follows it: out of the model's scope, skipped.
            if case .link? = model.nodes[path] { return "write through link \(path) (skipped)" }
            text = "write \(path) (\(data.count) bytes)"
            expected = model.outcome { m throws(FSError) in try m.createOrTruncate(path, data) } ?? 0
            actual = Self.posix { Self.writeFile(root + path, data, flags: O_WRONLY | O_CREAT | O_TRUNC) }
        case .append(let path, let data):
            if case .link? = model.nodes[path] { return "append through link \(path) (skipped)" }
            text = "append \(path)"
            expected = model.outcome { m throws(FSError) in try m.append(path, data) } ?? 0
            actual = Self.posix { Self.writeFile(root + path, data, flags: O_WRONLY | O_APPEND) }
        case .mkdir(let path):
            text = "mkdir \(path)"
            expected = model.outcome { m throws(FSError) in try m.create(path, .directory) } ?? 0
            actual = Self.posix { Glibc.mkdir(root + path, 0o755) }
        case .symlink(let target, let path):
            text = "symlink \(target) \(path)"
            expected = model.outcome { m throws(FSError) in try m.create(path, .link(target)) } ?? 0
            actual = Self.posix { Glibc.symlink(target, root + path) }
        case .unlink(let path):
            text = "unlink \(path)"
            expected = model.outcome { m throws(FSError) in try m.unlink(path) } ?? 0
            actual = Self.posix { Glibc.unlink(root + path) }
        case .rmdir(let path):
            text = "rmdir \(path)"
            expected = model.outcome { m throws(FSError) in try m.rmdir(path) } ?? 0
            actual = Self.posix { Glibc.rmdir(root + path) }
        case .rename(let from, let to):
            text = "rename \(from) -> \(to)"
            expected = model.outcome { m throws(FSError) in try m.rename(from, to) } ?? 0
            actual = Self.posix { Glibc.rename(root + from, root + to) }
        }
        XCTAssertEqual(actual, expected, "\(text): errno \(actual), a local disk gives \(expected)")
        return text
    }

    private static func posix(_ call: () -> Int32) -> Int32 { call() == 0 ? 0 : errno }

    /// 0 when the whole of `data` was written and close succeeded, else -1; failing to open sets errno.
    private static func writeFile(_ path: String, _ data: Data, flags: Int32) -> Int32 {
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { return -1 }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let closed = close(fd)
        return written == data.count && closed == 0 ? 0 : -1
    }

    /// The mount's tree as the model represents it (lstat, readlink, file contents).
    private func snapshot(_ root: String) throws -> [String: NamespaceModel.Node] {
        var result: [String: NamespaceModel.Node] = [:]
        func walk(_ relative: String) throws {
            let directory = relative.isEmpty ? root : root + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0 else { throw MountError("lstat \(path): errno \(errno)") }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: result[path] = .directory; try walk(path)
                case S_IFLNK: result[path] = .link(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + path))
                default: result[path] = .file(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))
                }
            }
        }
        try walk("")
        return result
    }
}
