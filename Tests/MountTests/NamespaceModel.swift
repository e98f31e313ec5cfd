import Foundation

/// A tiny in-memory POSIX namespace (files with contents, directories, symlinks with their texts)
/// that predicts what each operation does on a local disk, errno included.
struct NamespaceModel: Equatable {
    enum Node: Equatable {
        case file(Data)
        case directory
        case link(String)
    }

    /// Path relative to the mount root ("a/b") -> node. The root itself is implicit.
    private(set) var nodes: [String: Node] = [:]

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    private func isDirectory(_ path: String) -> Bool { path.isEmpty || nodes[path] == .directory }

    private func children(_ path: String) -> [String] {
        nodes.keys.filter { Self.parent($0) == path }
    }

    /// Fails with ENOENT/ENOTDIR when the parent of `path` is not an existing directory.
    private func checkParent(_ path: String) -> Int32? {
        let parent = Self.parent(path)
        if parent.isEmpty || nodes[parent] == .directory { return nil }
        return nodes[parent] == nil ? ENOENT : ENOTDIR
    }

    /// Writes `data` to `path` (create or truncate + write). Returns errno or 0.
    mutating func writeFile(_ path: String, _ data: Data) -> Int32 {
        if let error = checkParent(path) { return error }
        switch nodes[path] {
        case .directory: return EISDIR
        case .link: return -1  // following links for writes is out of the model's scope
        default: nodes[path] = .file(data); return 0
        }
    }

    mutating func append(_ path: String, _ data: Data) -> Int32 {
        guard case .file(let old)? = nodes[path] else { return -1 }
        nodes[path] = .file(old + data)
        return 0
    }

    mutating func mkdir(_ path: String) -> Int32 {
        if let error = checkParent(path) { return error }
        if nodes[path] != nil { return EEXIST }
        nodes[path] = .directory
        return 0
    }

    mutating func symlink(_ text: String, _ path: String) -> Int32 {
        if let error = checkParent(path) { return error }
        if nodes[path] != nil { return EEXIST }
        nodes[path] = .link(text)
        return 0
    }

    mutating func unlink(_ path: String) -> Int32 {
        if let error = checkParent(path) { return error }
        switch nodes[path] {
        case nil: return ENOENT
        case .directory: return EISDIR
        default: nodes[path] = nil; return 0
        }
    }

    mutating func rmdir(_ path: String) -> Int32 {
        if let error = checkParent(path) { return error }
        switch nodes[path] {
        case nil: return ENOENT
        case .directory: if !children(path).isEmpty { return ENOTEMPTY }
        default: return ENOTDIR
        }
        nodes[path] = nil
        return 0
    }

    mutating func rename(_ from: String, _ to: String) -> Int32 {
        if let error = checkParent(from) { return error }
        guard let node = nodes[from] else { return ENOENT }
        if let error = checkParent(to) { return error }
        if from == to { return 0 }
        // The kernel's own checks (lock_rename traps) come first: a source that is an ancestor of
        // the target is EINVAL, a target that is an ancestor of the source ENOTEMPTY.
        if (to + "/").hasPrefix(from + "/") { return EINVAL }
        if (from + "/").hasPrefix(to + "/") { return ENOTEMPTY }
        if let target = nodes[to] {
            if node == .directory {
                guard target == .directory else { return ENOTDIR }
                if !children(to).isEmpty { return ENOTEMPTY }
            } else if target == .directory {
                return EISDIR
            }
        }
        var moved: [String: Node] = [:]
        for (path, value) in nodes where path == from || path.hasPrefix(from + "/") {
            moved[to + path.dropFirst(from.count)] = value
            nodes[path] = nil
        }
        nodes[to] = nil
        nodes.merge(moved) { $1 }
        return 0
    }
}
