import Foundation
import OSSProtocol

/// One child of a directory, as a listing shows it.
struct ListedEntry: Sendable, Equatable {
    var name: String
    var stat: NodeStat
}

/// Lists one directory (all pages, delimiter "/") and turns the answer into entries with what a
/// listing tells (kind, size, Last-Modified, ETag; no user metadata: the caller completes those
/// with a HEAD unless the mount is listing-only). Links (`<Type>Symlink</Type>`) get their targets
/// with GetSymlink, and small `Appendable` objects (legacy links as ossfuse writes them) a HEAD,
/// concurrently and bounded, so links show as links with the right size at once.
struct DirectoryListing: Sendable {
    let store: any ObjectStore
    let keys: KeyMapping
    let mountPoint: String
    let parallelism: Int
    /// The mtime of directories that only exist as key prefixes (no marker object to date them):
    /// the mount time, as lookups report it.
    let implicitDirectoryMtime: Timestamp
    /// Called for each key that cannot be shown as a POSIX name.
    let hidden: @Sendable (String) -> Void
    /// The full stat of a legacy-link candidate (a HEAD of the object), nil when it vanished.
    let objectStat: @Sendable (_ path: String) async throws -> NodeStat?

    /// Appendable objects up to this size may be legacy links written by ossfuse (see
    /// `OSSFileSystem.writeLegacyLink`): a listing HEADs them.
    static let legacyCandidateMaxSize = Int64(SymlinkTarget.maxTextBytes)

    static func isLegacyCandidate(_ stat: NodeStat) -> Bool {
        stat.kind == .file && stat.objectType == .appendable && stat.userMetadata == nil && stat.size <= legacyCandidateMaxSize
    }

    /// The entries of the directory at `path`, whether its marker object exists, and whether the
    /// listing is complete (false when more than `maxPages` pages of 1000 would be needed). `previous`
    /// gives the last known stat of a child, kept when its ETag is unchanged (HEAD metadata, link text).
    /// `firstPage`: an answer already at hand for the first page (a lookup's directory probe).
    func fetch(_ path: String, maxPages: Int = .max, firstPage: ListObjectsPage? = nil,
               previous: @Sendable (String) -> NodeStat?) async throws -> (entries: [ListedEntry], marker: Bool, complete: Bool) {
        let dirPrefix = keys.directoryPrefix(path)
        var marker = false
        var files: [ListedEntry] = []
        var directories: [String] = []
        var token: String?
        var pages = 0
        repeat {
            if pages == maxPages { break }
            pages += 1
            let page = try await pages == 1 && firstPage != nil ? firstPage!
                : store.listObjects(prefix: dirPrefix, delimiter: "/", continuationToken: token, maxKeys: 1000)
            for object in page.contents {
                if object.key.utf8.elementsEqual(dirPrefix.utf8) { marker = true; continue }
                let name = object.key.dropBytePrefix(dirPrefix)
                guard KeyMapping.isValidName(name) else { hidden(object.key); continue }
                files.append(ListedEntry(name: name, stat: listedStat(object, previous: previous(KeyMapping.child(path, name)))))
            }
            for commonPrefix in page.commonPrefixes {
                let name = String(commonPrefix.dropBytePrefix(dirPrefix).dropLast())
                guard KeyMapping.isValidName(name) else { hidden(commonPrefix); continue }
                directories.append(name)
            }
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil

        files = try await resolveLinks(files, directory: path)
        // A bucket holding both `a` and `a/`: the file wins (the directory's contents stay reachable
        // only through other tools). Same choice in lookup.
        let fileNames = Set(files.map(\.name))
        var entries = files
        var listedDirectories: [ListedEntry] = []
        for name in directories where !fileNames.contains(name) {
            let old = previous(KeyMapping.child(path, name))
            listedDirectories.append(ListedEntry(name: name, stat: old?.kind == .directory ? old! : .directory(mtime: implicitDirectoryMtime)))
        }
        entries += listedDirectories
        entries.sort { keyOrder($0.name, $1.name) }
        return (entries, marker, token == nil)
    }

    private func listedStat(_ object: ObjectSummary, previous: NodeStat?) -> NodeStat {
        if let previous, previous.etag == object.etag, previous.kind != .directory,
           previous.isLegacyLink || (previous.kind == .symlink) == (object.type == .symlink) {
            return previous
        }
        return NodeStat(kind: object.type == .symlink ? .symlink : .file, size: object.size,
                        mtime: Timestamp(object.lastModified), etag: object.etag, userMetadata: nil,
                        storageClass: object.storageClass, objectType: object.type)
    }

    /// Fills in the text of native links that do not have it yet (one GetSymlink each) and HEADs the
    /// legacy-link candidates (small Appendable objects), concurrently and bounded.
    private func resolveLinks(_ entries: [ListedEntry], directory: String) async throws -> [ListedEntry] {
        let pending = entries.indices.filter {
            (entries[$0].stat.kind == .symlink && entries[$0].stat.linkText == nil) || Self.isLegacyCandidate(entries[$0].stat)
        }
        if pending.isEmpty { return entries }
        let store = self.store, keys = self.keys, mountPoint = self.mountPoint, objectStat = self.objectStat
        let resolved: [NodeStat?] = try await boundedMap(pending.map { entries[$0] }, limit: parallelism) { entry in
            let path = KeyMapping.child(directory, entry.name)
            do {
                if entry.stat.kind == .file { return try await objectStat(path) }
                let info = try await store.getSymlink(keys.objectKey(path))
                return NodeStat.link(path: path, info: info, prefix: keys.prefix, mountPoint: mountPoint,
                                     storageClass: entry.stat.storageClass)
            } catch where ErrnoMapping.isNoSuchKey(error) {
                return nil  // deleted since the listing
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // One unreadable link must not fail the whole listing: it shows without its text,
                // and readlink asks again (and reports that link's own error).
                return entry.stat
            }
        }
        var out = entries
        for (index, stat) in zip(pending, resolved) {
            if let stat { out[index].stat = stat } else { out[index].name = "" }
        }
        return out.filter { !$0.name.isEmpty }
    }
}

extension NodeStat {
    /// The stat of a native link from its GetSymlink answer.
    static func link(path: String, info: SymlinkInfo, prefix: String, mountPoint: String,
                     storageClass: String? = nil) -> NodeStat {
        let kept = info.userMetadata[SymlinkTarget.keptTextMetadata].flatMap { SymlinkTarget.percentDecode($0) }
        let text = SymlinkTarget.readlinkText(linkPath: path, targetKey: info.target, keptText: kept,
                                              prefix: prefix, mountPoint: mountPoint)
        var stat = NodeStat(kind: .symlink, size: Int64(text.utf8.count), mtime: Timestamp(info.lastModified),
                            etag: info.etag, userMetadata: info.userMetadata, storageClass: storageClass,
                            objectType: .symlink)
        stat.linkText = text
        stat.linkTargetKey = info.target
        return stat
    }
}
