import Foundation
import OSSProtocol

/// Extended attributes: facts of the object, read-only (`user.oss.etag`, `user.oss.storage_class`,
/// `user.oss.object_type`, `user.oss.symlink_target` on native links; `user.oss.restore` on
/// archive-class files, which setting starts a restore: OSSFileSystem+Archive.swift), and its user metadata
/// `x-oss-meta-<name>` as `user.meta.<name>`, read-write. Names the file system manages itself
/// (mode, uid, gid, mtime, ossfuse-target, ...) are not offered. Other namespaces: ENOTSUP.
/// Linux refuses `user.*` attributes on symlinks before asking the file system, so a link's facts
/// are also offered as `trusted.oss.*` (readable by root), `trusted.oss.symlink_target` above all.
extension OSSFileSystem {
    static let userNamespace = "user."
    static let ossNamespace = "user.oss."
    static let linkFactsNamespace = "trusted.oss."
    static let metaNamespace = "user.meta."
    /// setxattr flags.
    static let xattrCreate: Int32 = 1
    static let xattrReplace: Int32 = 2
    /// OSS limit on all user metadata names and values of one object.
    static let maxMetadataBytes = 8192

    public func getxattr(_ ino: InodeNumber, name: String) async throws(FSError) -> Data {
        if name.hasPrefix(Self.linkFactsNamespace) {
            let stat = try await fullStat(try path(of: ino), facts: true)
            guard stat.kind == .symlink else { throw FSError(ENODATA) }
            let fact = String(name.dropFirst(Self.linkFactsNamespace.count))
            // A link's storage class and restore state are its target's: they decide reads through it.
            let value = fact == Self.storageClassName || fact == Self.restoreName
                ? try await linkTargetFacts(stat)[fact] : xattrs(of: stat)[Self.ossNamespace + fact]
            guard let value else { throw FSError(ENODATA) }
            return Data(value.utf8)
        }
        // `ls -l` asks every entry for security.* / system.* attributes: answer without a request.
        guard name.hasPrefix("user.") else { throw FSError(ENOTSUP) }
        guard name.hasPrefix(Self.ossNamespace) || name.hasPrefix(Self.metaNamespace) else { throw FSError(ENODATA) }
        let path = try path(of: ino)
        let stat = try await fullStat(path, facts: name.hasPrefix(Self.ossNamespace))
        if name == Self.ossNamespace + Self.restoreName { return Data(try await restoreAttribute(path, stat).utf8) }
        guard let value = xattrs(of: stat)[name] else { throw FSError(ENODATA) }
        return Data(value.utf8)
    }

    public func listxattr(_ ino: InodeNumber) async throws(FSError) -> [String] {
        let stat = try await fullStat(try path(of: ino), facts: true)
        let names = xattrs(of: stat).keys
        guard stat.kind == .symlink else {
            let restore = stat.kind == .file && RestoreStatus.needsRestore(stat.storageClass)
            return (Array(names) + (restore ? [Self.ossNamespace + Self.restoreName] : [])).sorted()
        }
        let own = names.filter { $0.hasPrefix(Self.ossNamespace) && $0 != Self.ossNamespace + Self.storageClassName }
            .map { Self.linkFactsNamespace + $0.dropFirst(Self.ossNamespace.count) }
        let target = try await linkTargetFacts(stat).keys.map { Self.linkFactsNamespace + $0 }
        // The kernel lets user.* attributes exist only on regular files and directories (fs/xattr.c):
        // on a symlink it answers ENODATA itself and never asks. Offering names nobody can read would
        // make `getfattr -h -d` print an error per name; the link's own facts are under trusted.oss.*.
        return (names.filter { !$0.hasPrefix(Self.userNamespace) } + own + target).sorted()
    }

    public func setxattr(_ ino: InodeNumber, name: String, value: Data, flags: Int32) async throws(FSError) {
        if name == Self.ossNamespace + Self.restoreName || name == Self.linkFactsNamespace + Self.restoreName {
            return try await setRestore(ino, name: name, value: value)
        }
        try requireWritable()
        let metaName = try writableMetadataName(name)
        guard let text = String(data: value, encoding: .utf8),
              text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else { throw FSError(EINVAL) }
        let path = try path(of: ino)
        let stat = try await fullStat(path)
        var metadata = stat.userMetadata ?? [:]
        if flags & Self.xattrCreate != 0, metadata[metaName] != nil { throw FSError(EEXIST) }
        if flags & Self.xattrReplace != 0, metadata[metaName] == nil { throw FSError(ENODATA) }
        metadata[metaName] = text
        if metadata.reduce(0, { $0 + $1.key.utf8.count + $1.value.utf8.count }) > Self.maxMetadataBytes { throw FSError(E2BIG) }
        try await storeMetadata(ino, path: path, stat: stat, metadata: metadata, change: [metaName: text])
    }

    public func removexattr(_ ino: InodeNumber, name: String) async throws(FSError) {
        try requireWritable()
        let metaName = try writableMetadataName(name)
        let path = try path(of: ino)
        let stat = try await fullStat(path)
        var metadata = stat.userMetadata ?? [:]
        guard metadata.removeValue(forKey: metaName) != nil else { throw FSError(ENODATA) }
        if stat.kind == .file, handles.liveSize(of: ino) != nil {
            // The removal cannot wait for the upload (pending changes only add): persist now.
            try await flushWriters(of: ino)
        }
        try await storeMetadata(ino, path: path, stat: stat, metadata: metadata, change: [:])
    }

    /// Every attribute `stat` shows, with its value.
    private func xattrs(of stat: NodeStat) -> [String: String] {
        var out: [String: String] = [:]
        if let etag = stat.etag { out[Self.ossNamespace + "etag"] = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        if let storageClass = stat.storageClass { out[Self.ossNamespace + "storage_class"] = storageClass }
        if let type = stat.objectType { out[Self.ossNamespace + "object_type"] = type.rawValue }
        if let target = stat.linkTargetKey { out[Self.ossNamespace + "symlink_target"] = target }
        for (name, value) in stat.userMetadata ?? [:] where !PosixMetadata.reserved.contains(name) {
            out[Self.metaNamespace + name] = value
        }
        return out
    }

    /// The metadata name behind a writable attribute: EPERM for `user.oss.*` and reserved names,
    /// EINVAL for names OSS cannot store (letters, digits and "-" only; stored lower-case),
    /// ENOTSUP outside `user.meta.`.
    private func writableMetadataName(_ name: String) throws(FSError) -> String {
        if name.hasPrefix(Self.ossNamespace) || name.hasPrefix(Self.linkFactsNamespace) { throw FSError(EPERM) }
        guard name.hasPrefix(Self.metaNamespace) else { throw FSError(ENOTSUP) }
        let metaName = String(name.dropFirst(Self.metaNamespace.count))
        guard !metaName.isEmpty, metaName.utf8.allSatisfy({
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }) else { throw FSError(EINVAL) }
        if PosixMetadata.reserved.contains(metaName) { throw FSError(EPERM) }
        return metaName
    }

    private func storeMetadata(_ ino: InodeNumber, path: String, stat: NodeStat, metadata: [String: String],
                               change: [String: String]) async throws(FSError) {
        var stat = stat
        if stat.kind == .file, handles.liveSize(of: ino) != nil, !change.isEmpty {
            handles.addPending(ino, change)
            stat.userMetadata = metadata
        } else {
            stat = try await persistMetadata(path, stat, metadata)
        }
        noteCreated(path, stat)
    }
}
