import Foundation

/// What a directory handle keeps between readdir calls: a window of the listing, one page of the
/// store's listing at a time, so a directory of millions of names is never held whole. A listing
/// still fresh in the attribute cache is one window. Entries are numbered from 0 in the order
/// readdir returns them (the store's key order, each page sorted by name); the window holds
/// `start ..< end`. Small directories are also collected whole, for the cache, once read to the
/// end. Files created here whose objects are not stored yet come last, unless the listing shows
/// them. Pure state: the file system fetches the pages (`OSSFileSystem.readdir`).
struct DirectoryStream: Sendable {
    private(set) var window: [ListedEntry] = []
    private(set) var start = 0
    /// The continuation token of the next page (nil before the first and after the last).
    private(set) var token: String?
    private(set) var pagesRead = 0
    /// The store's listing is read to its end.
    private(set) var listingDone = false
    /// Nothing more to return.
    private(set) var finished = false
    /// The listing showed the directory's marker object.
    private(set) var marker = false
    /// The whole listing so far while it has at most `collectLimit` entries; nil past that.
    private(set) var collected: [ListedEntry]? = []
    /// The attribute cache's generation when the listing started (a collected listing is cached
    /// only if nothing changed here since).
    let generation: UInt64
    private let collectLimit: Int
    /// Files created here and not stored yet, by name.
    private var unstored: [String: ListedEntry]
    /// Names of files listed whose `name/` common prefix may still come (`a` sorts before `a-1`,
    /// `a.txt`, then `a/`): a directory of the same name is hidden by the file, as in lookup.
    private var filesAhead: Set<String> = []

    var end: Int { start + window.count }

    /// A stream over a listing from the store, read page by page.
    init(unstored: [ListedEntry], generation: UInt64, collectLimit: Int) {
        self.unstored = Dictionary(unstored.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.generation = generation
        self.collectLimit = collectLimit
    }

    /// A stream over a listing at hand (the cache's), in one window.
    init(whole entries: [ListedEntry]) {
        window = entries
        listingDone = true
        finished = true
        collected = nil
        unstored = [:]
        generation = 0
        collectLimit = 0
    }

    /// Takes the next page of the store's listing: the entries to show (sorted by name) before
    /// their stored attributes are added; `show` them next.
    mutating func accept(_ page: DirectoryListing.Page, listing: DirectoryListing, path: String,
                         previous: @Sendable (String) -> NodeStat?) -> [ListedEntry] {
        pagesRead += 1
        marker = marker || page.marker
        token = page.next
        let hiding = filesAhead.union(page.files.map(\.name))
        var entries = page.files + listing.directoryEntries(page.directories, in: path, hiddenBy: hiding, previous: previous)
        entries.sort { keyOrder($0.name, $1.name) }
        if page.next == nil {
            listingDone = true
            filesAhead = []
        } else if let lastKey = page.lastKey {
            let reached = lastKey.dropBytePrefix(listing.keys.directoryPrefix(path))
            filesAhead = hiding.filter { !keyOrder($0 + "/", reached) }
        } else {
            filesAhead = hiding
        }
        for entry in entries { unstored[entry.name] = nil }  // stored meanwhile: the listing's is newer
        return entries
    }

    /// Makes `entries` (the last accepted page, completed) the window.
    mutating func show(_ entries: [ListedEntry]) {
        start = end
        window = entries
        if let sofar = collected {
            collected = sofar.count + entries.count <= collectLimit ? sofar + entries : nil
        }
    }

    /// After the listing's last page: the local files it did not show are the last window.
    mutating func showUnstored() {
        start = end
        window = unstored.values.sorted { keyOrder($0.name, $1.name) }
        unstored = [:]
        finished = true
    }
}
