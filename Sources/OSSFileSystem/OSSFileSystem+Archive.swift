import Foundation
import OSSProtocol

/// Archive, Cold Archive and Deep Cold Archive objects (docs/archive-objects.md): OSS refuses their
/// data (403 InvalidObjectState) until they are restored, directly and through links.
///
/// - A refused read fails with `ErrnoMapping.notRestored` (ENODATA) and logs one line per key,
///   naming the key and the command that restores it.
/// - `user.oss.restore` (files) and `trusted.oss.restore` (native links, about their target) read
///   `none`, `ongoing` or `restored until <ISO-8601 date>`: one HeadObject, asked only by getxattr.
///   A link's `trusted.oss.storage_class` is its target's (the target's state decides reads).
/// - Setting either to `DAYS` or `DAYS TIER` starts a restore (a link: of its target); a restore
///   already running counts as success.
/// - `-o restore_on_open` starts the restore (1 day) when an archive-class file that is not restored
///   is opened for reading, and fails that open with the same errno.
/// `ls -l` costs nothing more: the storage class comes with the listing or HEAD that is made anyway.
extension OSSFileSystem {
    /// The attribute name after `user.oss.` / `trusted.oss.`.
    static let restoreName = "restore"
    static let storageClassName = "storage_class"
    /// Days a restore started by `restore_on_open` keeps the object readable.
    static let openRestoreDays = 1

    /// Runs a read of `path`'s data; a refusal because the object is not restored is logged, and
    /// every error leaves as an `FSError` (ErrnoMapping).
    func readingData<T>(_ path: String, _ body: () async throws -> T) async throws(FSError) -> T {
        do {
            return try await body()
        } catch {
            if ErrnoMapping.isNotRestored(error) { logNotRestored(path) }
            throw ErrnoMapping.fsError(error)
        }
    }

    /// One line per key (again only after a restore of it was asked for here).
    func logNotRestored(_ path: String) {
        let key = keys.objectKey(path)
        guard frozenKeysLogged.withLock({ $0.insert(key).inserted }) else { return }
        log("read of \(key) refused: an archive-class object that is not restored (errno ENODATA);"
            + " restore it with: setfattr -n user.oss.restore -v DAYS \(shownPath(path))")
    }

    /// `path` as a user would type it: under the mount point, quoted when the shell needs it.
    func shownPath(_ path: String) -> String {
        let full = configuration.mountPoint.isEmpty ? path
            : (configuration.mountPoint.hasSuffix("/") ? configuration.mountPoint : configuration.mountPoint + "/") + path
        let plain = full.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "/._-+,:@".unicodeScalars.contains($0)
        }
        return plain ? full : "'" + full.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The value of a `*.oss.restore` attribute.
    static func restoreText(_ status: RestoreStatus) -> String {
        switch status {
        case .frozen: return "none"
        case .ongoing: return "ongoing"
        case .restored(let until): return "restored until " + HTTPDate.iso8601(until)
        }
    }

    /// `user.oss.restore` of a file: ENODATA for classes that need no restore.
    func restoreAttribute(_ path: String, _ stat: NodeStat) async throws(FSError) -> String {
        guard stat.kind == .file, RestoreStatus.needsRestore(stat.storageClass) else { throw FSError(ENODATA) }
        let key = keys.objectKey(path)
        let head = try await mappingErrors { try await store.headObject(key) }
        return Self.restoreText(head.restore)
    }

    /// A native link's target facts, named without namespace: `storage_class`, and `restore` when
    /// the target is of an archive class. Empty for legacy links and links whose target is missing
    /// or a link itself; other failures (transport, access) are thrown.
    func linkTargetFacts(_ stat: NodeStat) async throws(FSError) -> [String: String] {
        guard stat.kind == .symlink, let target = stat.linkTargetKey else { return [:] }
        let head: ObjectMetadata
        do {
            head = try await store.headObject(target)
        } catch where ErrnoMapping.isNoSuchKey(error) || ErrnoMapping.isLinkFollowFailure(error) {
            return [:]
        } catch {
            throw ErrnoMapping.fsError(error)
        }
        guard head.type != .symlink else { return [:] }
        var facts = [Self.storageClassName: head.storageClass]
        if RestoreStatus.needsRestore(head.storageClass) { facts[Self.restoreName] = Self.restoreText(head.restore) }
        return facts
    }

    /// setxattr of `user.oss.restore` (a file) or `trusted.oss.restore` (a native link: its target):
    /// starts a restore for the days (and tier) in `value`.
    func setRestore(_ ino: InodeNumber, name: String, value: Data) async throws(FSError) {
        let request = try Self.restoreRequest(value)
        let path = try path(of: ino)
        let stat = try await fullStat(path)
        let key: String
        if name.hasPrefix(Self.linkFactsNamespace) {
            guard stat.kind == .symlink, let target = stat.linkTargetKey else { throw FSError(EPERM) }
            key = target
        } else {
            guard stat.kind == .file else { throw FSError(EPERM) }
            key = keys.objectKey(path)
        }
        try await startRestore(key, request)
    }

    /// Starts a restore of `key`; one already running counts as started.
    func startRestore(_ key: String, _ request: RestoreRequest) async throws(FSError) {
        do {
            try await store.restoreObject(key, request: request)
        } catch where ErrnoMapping.isRestoreInProgress(error) {
        } catch {
            throw ErrnoMapping.fsError(error)
        }
        frozenKeysLogged.withLock { _ = $0.remove(key) }
    }

    /// `DAYS` or `DAYS TIER` (a space or a comma between): EINVAL otherwise.
    static func restoreRequest(_ value: Data) throws(FSError) -> RestoreRequest {
        let words = String(decoding: value, as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" }).map(String.init)
        guard (1...2).contains(words.count), let days = Int(words[0]), days > 0 else { throw FSError(EINVAL) }
        guard words.count == 2 else { return RestoreRequest(days: days) }
        let tiers = ["Expedited", "Standard", "Bulk"]
        guard let tier = tiers.first(where: { $0.caseInsensitiveCompare(words[1]) == .orderedSame }) else {
            throw FSError(EINVAL)
        }
        return RestoreRequest(days: days, tier: tier)
    }

    /// `-o restore_on_open`, at an open for reading of an archive-class file: nothing when it is
    /// restored; else its restore is started (or found running), logged, and the open fails.
    func requireRestored(_ path: String) async throws(FSError) {
        let key = keys.objectKey(path)
        let head = try await mappingErrors { try await store.headObject(key) }
        switch head.restore {
        case .restored: return
        case .ongoing:
            log("open of \(key) refused: its restore is still running (restore_on_open; errno ENODATA)")
        case .frozen:
            try await startRestore(key, RestoreRequest(days: Self.openRestoreDays))
            log("open of \(key) refused: restore started for \(Self.openRestoreDays) day (restore_on_open; errno ENODATA);"
                + " getfattr -n user.oss.restore \(shownPath(path)) shows when it is done")
        }
        throw FSError(ErrnoMapping.notRestored)
    }
}
