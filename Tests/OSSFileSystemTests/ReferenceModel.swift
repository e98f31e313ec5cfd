import Foundation
import OSSFileSystem

/// A tiny model of a POSIX namespace (files with content, directories, links with their text):
/// what the file system must look like after each operation.
struct ReferenceModel {
    enum Node: Equatable, CustomStringConvertible {
        case file(Data)
        case directory
        case link(String)
        var description: String {
            switch self {
            case .file(let data): return "file(\(String(decoding: data, as: UTF8.self)))"
            case .directory: return "dir"
            case .link(let text): return "link(\(text))"
            }
        }
    }

    /// Every path but the root ("").
    private(set) var nodes: [String: Node] = [:]

    var directories: [String] { [""] + nodes.filter { $0.value == .directory }.map(\.key).sorted() }

    func node(_ path: String) -> Node? { path.isEmpty ? .directory : nodes[path] }

    func children(_ directory: String) -> [String] {
        nodes.keys.filter { parent(of: $0) == directory }.map { name(of: $0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func parent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    private func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    private func requireParentDirectory(_ path: String) throws(FSError) {
        guard let parent = node(parent(of: path)) else { throw FSError(ENOENT) }
        guard parent == .directory else { throw FSError(ENOTDIR) }
    }

    /// Creates a new name (O_EXCL create, mkdir, symlink).
    mutating func create(_ path: String, _ node: Node) throws(FSError) {
        try requireParentDirectory(path)
        if nodes[path] != nil { throw FSError(EEXIST) }
        nodes[path] = node
    }

    /// Replaces the content of an existing file.
    mutating func write(_ path: String, _ data: Data) throws(FSError) {
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        // The file system is asked for the inode itself (the kernel follows links before open).
        if case .link = node { throw FSError(ELOOP) }
        guard case .file = node else { throw FSError(EISDIR) }
        nodes[path] = .file(data)
    }

    mutating func unlink(_ path: String) throws(FSError) {
        try requireParentDirectory(path)
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        if node == .directory { throw FSError(EISDIR) }
        nodes[path] = nil
    }

    mutating func rmdir(_ path: String) throws(FSError) {
        try requireParentDirectory(path)
        guard let node = nodes[path] else { throw FSError(ENOENT) }
        if node != .directory { throw FSError(ENOTDIR) }
        if !children(path).isEmpty { throw FSError(ENOTEMPTY) }
        nodes[path] = nil
    }

    mutating func rename(_ from: String, _ to: String) throws(FSError) {
        try requireParentDirectory(from)
        guard let source = nodes[from] else { throw FSError(ENOENT) }
        try requireParentDirectory(to)
        if from == to { return }
        let destination = nodes[to]
        if source == .directory {
            if to.hasPrefix(from + "/") { throw FSError(EINVAL) }
            if let destination {
                if destination != .directory { throw FSError(ENOTDIR) }
                if !children(to).isEmpty { throw FSError(ENOTEMPTY) }
            }
            let moving = nodes.filter { $0.key == from || $0.key.hasPrefix(from + "/") }
            for key in moving.keys { nodes[key] = nil }
            for (key, node) in moving { nodes[to + key.dropFirst(from.count)] = node }
        } else {
            if destination == .directory { throw FSError(EISDIR) }
            nodes[from] = nil
            nodes[to] = source
        }
    }
}
