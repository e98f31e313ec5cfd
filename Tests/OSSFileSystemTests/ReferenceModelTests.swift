import Foundation
import OSSFileSystem
import OSSProtocol
import Testing
import TestSupport

/// Random sequences of namespace operations applied to `NamespaceModel` (TestSupport) and to `OSSFileSystem`,
/// compared after every step (and through a fresh mount every few steps), over every backend.
@Suite struct ReferenceModelTests {
    enum Operation: CustomStringConvertible {
        case create(String, Data), write(String, Data), mkdir(String), symlink(String, String)
        case unlink(String), rmdir(String), rename(String, String)
        var description: String {
            switch self {
            case .create(let p, let d): return "create \(p) (\(d.count) bytes)"
            case .write(let p, let d): return "write \(p) (\(d.count) bytes)"
            case .mkdir(let p): return "mkdir \(p)"
            case .symlink(let p, let t): return "ln -s '\(t)' \(p)"
            case .unlink(let p): return "unlink \(p)"
            case .rmdir(let p): return "rmdir \(p)"
            case .rename(let a, let b): return "mv \(a) \(b)"
            }
        }
    }

    static let names = ["a", "b", "c d"]
    static let linkTexts = ["a", "../b", "c d/a", "/abs/x", "../../up", ".", "a/../b"]

    static func randomOperation(_ model: NamespaceModel, _ rng: inout SeededGenerator) -> Operation {
        func path() -> String {
            let dir = model.directories.filter { $0.split(separator: "/").count < 3 }.randomElement(using: &rng)!
            let name = names.randomElement(using: &rng)!
            return dir.isEmpty ? name : dir + "/" + name
        }
        func data() -> Data { Data(String(repeating: "x", count: Int.random(in: 0...40, using: &rng)).utf8) }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1: return .create(path(), data())
        case 2: return .write(path(), data())
        case 3, 4: return .mkdir(path())
        case 5: return .symlink(path(), linkTexts.randomElement(using: &rng)!)
        case 6: return .unlink(path())
        case 7: return .rmdir(path())
        default: return .rename(path(), path())
        }
    }

    static func apply(_ operation: Operation, to model: inout NamespaceModel) -> Int32? {
        model.outcome { (model: inout NamespaceModel) throws(FSError) in
            switch operation {
            case .create(let p, let d): try model.create(p, .file(d))
            case .write(let p, let d): try model.write(p, d)
            case .mkdir(let p): try model.create(p, .directory)
            case .symlink(let p, let t): try model.create(p, .link(t))
            case .unlink(let p): try model.unlink(p)
            case .rmdir(let p): try model.rmdir(p)
            case .rename(let a, let b): try model.rename(a, b)
            }
        }
    }

    static func apply(_ operation: Operation, to h: Harness) async -> Int32? {
        await errnoOf {
            switch operation {
            case .create(let p, let d):
                let (parent, name) = try await h.parent(p)
                let (entry, handle) = try await h.fs.create(parent: parent, name: name, mode: UInt32(S_IFREG) | 0o644,
                                                            flags: O_WRONLY | O_CREAT | O_EXCL, context: CallerContext())
                if !d.isEmpty { _ = try await h.fs.write(entry.attributes.ino, handle: handle, offset: 0, data: d) }
                try await h.fs.release(entry.attributes.ino, handle: handle)
            case .write(let p, let d):
                let ino = try await h.ino(p)
                let handle = try await h.fs.open(ino, flags: O_WRONLY | O_TRUNC, context: CallerContext()).handle
                if !d.isEmpty { _ = try await h.fs.write(ino, handle: handle, offset: 0, data: d) }
                try await h.fs.release(ino, handle: handle)
            case .mkdir(let p): try await h.mkdir(p)
            case .symlink(let p, let t): try await h.ln(t, p)
            case .unlink(let p): try await h.rm(p)
            case .rmdir(let p): try await h.rmdir(p)
            case .rename(let a, let b): try await h.mv(a, b)
            }
        }
    }

    /// The tree as the file system shows it: walks readdir, then lstat/read/readlink each entry.
    /// `lookupFirst` looks every expected path up before listing (a fresh mount then knows legacy
    /// links from their HEAD, which a listing alone cannot tell).
    static func snapshot(_ h: Harness, on fs: OSSFileSystem, expected: NamespaceModel) async throws -> [String: NamespaceModel.Node] {
        for path in expected.nodes.keys.sorted() { _ = try? await h.lstat(path, on: fs) }
        var out: [String: NamespaceModel.Node] = [:]
        var pending = [""]
        while let dir = pending.popLast() {
            for name in try await h.ls(dir, on: fs) {
                let path = dir.isEmpty ? name : dir + "/" + name
                let attributes = try await h.lstat(path, on: fs)
                switch attributes.mode & UInt32(S_IFMT) {
                case UInt32(S_IFDIR): out[path] = .directory; pending.append(path)
                case UInt32(S_IFLNK):
                    let text = try await h.readlink(path, on: fs)
                    #expect(attributes.size == UInt64(text.utf8.count), "lstat size of \(path)")
                    out[path] = .link(text)
                default:
                    let data = try await h.read(path, on: fs)
                    #expect(attributes.size == UInt64(data.count), "size of \(path)")
                    out[path] = .file(data)
                }
            }
        }
        return out
    }

    @Test(arguments: Backend.allCases, [UInt64(1), 2])
    func randomNamespaceOperationsMatchTheModel(_ backend: Backend, seed: UInt64) async throws {
        let h = try await Harness(backend)
        var model = NamespaceModel()
        var rng = SeededGenerator(seed: seed)
        var history: [String] = []
        for step in 1...200 {
            let operation = Self.randomOperation(model, &rng)
            let expected = Self.apply(operation, to: &model)
            let actual = await Self.apply(operation, to: h)
            history.append("\(step): \(operation) -> \(actual.map { String($0) } ?? "ok")")
            try #require(actual == expected, "step \(step): \(operation): errno \(String(describing: actual)), model \(String(describing: expected))\n\(history.suffix(15).joined(separator: "\n"))")
            let seen = try await Self.snapshot(h, on: h.fs, expected: model)
            try #require(seen == model.nodes, "step \(step): \(operation)\n\(history.suffix(15).joined(separator: "\n"))")
            if step % 25 == 0 {
                let fresh = try await Self.snapshot(h, on: h.remount(), expected: model)
                try #require(fresh == model.nodes, "fresh mount after step \(step)")
            }
        }
    }
}
