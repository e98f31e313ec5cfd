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

    /// One page of a directory's listing: its files (links resolved) and the names of its
    /// subdirectories, in the store's key order.
    struct Page: Sendable {
        var files: [ListedEntry] = []
        var directories: [String] = []
        /// The page held the directory's marker object.
        var marker = false
        /// The continuation token of the next page; nil on the last.
        var next: String?
        /// The last key or common prefix the page returned (where the listing stands).
        var lastKey: String?
    }

    /// The page of the listing of `path` that `token` names (nil: the first; `answer`: the store's
    /// answer already at hand, a lookup's directory probe). `previous` gives the last known stat of
    /// a child, kept when its ETag is unchanged (HEAD metadata, link text).
    func page(_ path: String, token: String?, answer: ListObjectsPage? = nil,
              previous: @Sendable (String) -> NodeStat?) async throws -> Page {
        let dirPrefix = keys.directoryPrefix(path)
        let listed: ListObjectsPage
        if let answer { listed = answer } else {
            listed = try await store.listObjects(prefix: dirPrefix, delimiter: "/", continuationToken: token, maxKeys: 1000)
        }
        var page = Page(next: listed.isTruncated ? listed.nextContinuationToken : nil)
        for object in listed.contents {
            if object.key.utf8.elementsEqual(dirPrefix.utf8) { page.marker = true; continue }
            let name = object.key.dropBytePrefix(dirPrefix)
            guard KeyMapping.isValidName(name) else { hidden(object.key); continue }
            page.files.append(ListedEntry(name: name, stat: listedStat(object, previous: previous(KeyMapping.child(path, name)))))
        }
        for commonPrefix in listed.commonPrefixes {
            let name = String(commonPrefix.dropBytePrefix(dirPrefix).dropLast())
            guard KeyMapping.isValidName(name) else { hidden(commonPrefix); continue }
            page.directories.append(name)
        }
        page.lastKey = [listed.contents.last?.key, listed.commonPrefixes.last].compactMap { $0 }.max { keyOrder($0, $1) }
        page.files = try await resolveLinks(page.files, directory: path)
        return page
    }

    /// The entries of `directories` (names of common prefixes) that no file of the same name
    /// hides (a bucket holding both `a` and `a/`: the file wins, as in lookup), with the last
    /// known stat of each.
    func directoryEntries(_ directories: [String], in path: String, hiddenBy files: Set<String>,
                          previous: @Sendable (String) -> NodeStat?) -> [ListedEntry] {
        directories.filter { !files.contains($0) }.map { name in
            let old = previous(KeyMapping.child(path, name))
            return ListedEntry(name: name, stat: old?.kind == .directory ? old! : .directory(mtime: implicitDirectoryMtime))
        }
    }

    /// The entries of the directory at `path`, whether its marker object exists, and whether the
    /// listing is complete (false when more than `maxPages` pages of 1000 would be needed). `previous`
    /// gives the last known stat of a child, kept when its ETag is unchanged (HEAD metadata, link text).
    /// `firstPage`: an answer already at hand for the first page (a lookup's directory probe).
    func fetch(_ path: String, maxPages: Int = .max, firstPage: ListObjectsPage? = nil,
               previous: @Sendable (String) -> NodeStat?) async throws -> (entries: [ListedEntry], marker: Bool, complete: Bool) {
        var marker = false
        var files: [ListedEntry] = []
        var directories: [String] = []
        var token: String?
        var pages = 0
        repeat {
            if pages == maxPages { break }
            pages += 1
            let page = try await self.page(path, token: token, answer: pages == 1 ? firstPage : nil, previous: previous)
            marker = marker || page.marker
            files += page.files
            directories += page.directories
            token = page.next
        } while token != nil
        var entries = files
        entries += directoryEntries(directories, in: path, hiddenBy: Set(files.map(\.name)), previous: previous)
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
