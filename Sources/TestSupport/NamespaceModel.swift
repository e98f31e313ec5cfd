import Foundation
import OSSFileSystem

/// The specification of a POSIX namespace (files with contents, directories, links with their
/// texts) that every level is checked against: what a local disk does after each operation, errno
/// included, as the kernel and a Linux file system answer it. Driven against `OSSFileSystem`
/// directly (ReferenceModelTests) and against a real mount (ReferenceModelMountTests).
public struct NamespaceModel: Equatable, Sendable {
    public enum Node: Equatable, Sendable, CustomStringConvertible {
        case file(Data)
        case directory
        case link(String)

        public var description: String {
            switch self {
            case .file(let data): return "file of \(data.count) bytes"
            case .directory: return "directory"
            case .link(let text): return "link -> \(text)"
            }
        }
    }

    /// Path relative to the root ("a/b") -> node. The root ("") itself is implicit.
    public private(set) var nodes: [String: Node] = [:]

    public init() {}

    /// The root ("") and every directory, sorted.
    public var directories: [String] { [""] + nodes.filter { $0.value == .directory }.map(\.key).sorted() }

    /// The node at `path` (the root is a directory).
    public func node(_ path: String) -> Node? { path.isEmpty ? .directory : nodes[path] }

    /// The names in `directory`, in byte order.
    public func children(_ directory: String) -> [String] {
        nodes.keys.filter { Self.parent(of: $0) == directory }.map { Self.name(of: $0) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public static func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// ENOENT or ENOTDIR unless the parent of `path` is an existing directory.
    private func requireParentDirectory(_ path: String) throws(FSError) {
        guard let parent = node(Self.parent(of: path)) else { throw FSError(ENOENT) }
        guard parent == .directory else { throw FSError(ENOTDIR) }
    }

    /// Makes a new name (O_EXCL create, mkdir, symlink): EEXIST when it is taken.
    public mutating func create(_ path: String, _ node: Node) throws(FSError) {
        try requireParentDirectory(path)
        if nodes[path] != nil { throw FSError(EEXIST) }
        nodes[path] = node
    }

    /// Replaces the content of an existing file (open with O_TRUNC of the inode itself: a link is
    /// ELOOP, since the kernel follows links before the file system is asked).
    public mutating func write(_ path: String, _ data: Data) throws(FSError) {
        try requireParentDirectory(path)
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        if case .link = node { throw FSError(ELOOP) }
        guard case .file = node else { throw FSError(EISDIR) }
        nodes[path] = .file(data)
    }

    /// open(O_CREAT | O_TRUNC) and write: creates or replaces a file. A link is ELOOP here (the
    /// model does not follow links; callers that go through the kernel skip that case).
    public mutating func createOrTruncate(_ path: String, _ data: Data) throws(FSError) {
        try requireParentDirectory(path)
        if nodes[path] == nil { nodes[path] = .file(data) } else { try write(path, data) }
    }

    /// open(O_APPEND) and write to an existing file.
    public mutating func append(_ path: String, _ data: Data) throws(FSError) {
        try requireParentDirectory(path)
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        if case .link = node { throw FSError(ELOOP) }
        guard case .file(let old) = node else { throw FSError(EISDIR) }
        nodes[path] = .file(old + data)
    }

    public mutating func unlink(_ path: String) throws(FSError) {
        try requireParentDirectory(path)
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        if node == .directory { throw FSError(EISDIR) }
        nodes[path] = nil
    }

    public mutating func rmdir(_ path: String) throws(FSError) {
        try requireParentDirectory(path)
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        if node != .directory { throw FSError(ENOTDIR) }
        if !children(path).isEmpty { throw FSError(ENOTEMPTY) }
        nodes[path] = nil
    }

    /// rename(2) as the kernel orders its checks: both parents, the source's existence, then the
    /// lock_rename traps (a destination inside the source is EINVAL, a destination that is an
    /// ancestor of the source ENOTEMPTY), then the type and emptiness of what is replaced.
    public mutating func rename(_ from: String, _ to: String) throws(FSError) {
        try requireParentDirectory(from)
        guard let source = nodes[from] else { throw FSError(ENOENT) }
        try requireParentDirectory(to)
        if from == to { return }
        if to.hasPrefix(from + "/") { throw FSError(EINVAL) }
        if from.hasPrefix(to + "/") { throw FSError(ENOTEMPTY) }
        if let destination = nodes[to] {
            if source == .directory {
                guard destination == .directory else { throw FSError(ENOTDIR) }
                if !children(to).isEmpty { throw FSError(ENOTEMPTY) }
            } else if destination == .directory {
                throw FSError(EISDIR)
            }
        }
        let moving = nodes.filter { $0.key == from || $0.key.hasPrefix(from + "/") }
        for key in moving.keys { nodes[key] = nil }
        for (key, node) in moving { nodes[to + key.dropFirst(from.count)] = node }
    }

    /// The errno `change` fails with, nil when it succeeds (applied to this model).
    public mutating func outcome(_ change: (inout NamespaceModel) throws(FSError) -> Void) -> Int32? {
        do throws(FSError) {
            try change(&self)
            return nil
        } catch {
            return error.errno
        }
    }

    /// Lines naming each path where `actual` and `expected` differ.
    public static func difference(_ actual: [String: Node], _ expected: [String: Node]) -> String {
        Set(actual.keys).union(expected.keys).sorted().compactMap { path in
            let a = actual[path], e = expected[path]
            guard a != e else { return nil }
            return "  \(path): seen \(a?.description ?? "absent"), model \(e?.description ?? "absent")"
        }.joined(separator: "\n")
    }
}
