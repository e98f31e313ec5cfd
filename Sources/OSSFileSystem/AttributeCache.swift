import Foundation
import Synchronization

/// Attributes per path with a TTL (`attr_timeout`), and remembered absences (`negative_timeout`).
/// The readlink text lives in the link's entry, so it expires and is invalidated with its attributes.
/// Also keeps whole directory listings for the same TTL, so a repeated `ls -l` costs nothing.
final class AttributeCache: Sendable {
    enum Answer: Sendable, Equatable {
        case hit(NodeStat)
        case absent
        case unknown
    }

    private struct Entry {
        var stat: NodeStat?  // nil = known not to exist
        var expires: Date
    }

    /// One directory's listing: a single sorted array (a dictionary beside it doubled what a big
    /// directory costs), searched by name in byte order, plus the local changes since.
    private struct Listing {
        /// The entries in key order (the bytes of their names), without repeats.
        var entries: [ListedEntry]
        /// Names created (a stat) or removed (nil) here since; folded into `entries` when readdir
        /// asks for the whole listing.
        var changes: [String: NodeStat?] = [:]
        var expires: Date
        /// Until when a name missing from the listing is known not to exist (never, for a listing
        /// cut short after a bounded number of pages).
        var negativeExpires: Date
        var complete: Bool

        /// Names held (for the memory bound).
        var count: Int { entries.count + changes.count }

        /// The stat of `name`: nil when the listing does not hold it.
        func stat(_ name: String) -> NodeStat? {
            if let change = changes[name] { return change }
            return Self.index(of: name, in: entries).map { entries[$0].stat }
        }

        /// The entries with the local changes folded in, in key order.
        mutating func merged() -> [ListedEntry] {
            guard !changes.isEmpty else { return entries }
            let added = changes.compactMap { name, stat in stat.map { ListedEntry(name: name, stat: $0) } }
                .sorted { keyOrder($0.name, $1.name) }
            var out: [ListedEntry] = []
            out.reserveCapacity(entries.count + added.count)
            var next = added.makeIterator(), pending = next.next()
            for entry in entries where changes[entry.name] == nil {
                while let add = pending, keyOrder(add.name, entry.name) {
                    out.append(add); pending = next.next()
                }
                out.append(entry)
            }
            while let add = pending { out.append(add); pending = next.next() }
            entries = out
            changes = [:]
            return out
        }

        /// Binary search by the bytes of `name` (the order `entries` is sorted in).
        static func index(of name: String, in entries: [ListedEntry]) -> Int? {
            var low = 0, high = entries.count
            while low < high {
                let mid = (low + high) / 2
                if keyOrder(entries[mid].name, name) { low = mid + 1 } else { high = mid }
            }
            return low < entries.count && entries[low].name.utf8.elementsEqual(name.utf8) ? low : nil
        }
    }

    /// The listings by directory, with the number of names they hold kept up to date on every
    /// change, so the memory bound is checked at each store without walking them.
    private struct ListingTable: Sequence {
        private var byDirectory: [String: Listing] = [:]
        /// Listings plus the names they hold.
        private(set) var held = 0

        subscript(directory: String) -> Listing? {
            get { byDirectory[directory] }
            set {
                if let old = byDirectory[directory] { held -= 1 + old.count }
                if let newValue { held += 1 + newValue.count }
                byDirectory[directory] = newValue
            }
        }
        var count: Int { byDirectory.count }
        var keys: Dictionary<String, Listing>.Keys { byDirectory.keys }
        func makeIterator() -> Dictionary<String, Listing>.Iterator { byDirectory.makeIterator() }
        mutating func removeValue(forKey directory: String) { self[directory] = nil }
        mutating func removeAll(where drop: (Listing) -> Bool) {
            for (directory, listing) in byDirectory where drop(listing) { self[directory] = nil }
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var listings = ListingTable()
        var generation: UInt64 = 0
        var storesSinceSweep = 0
        var statistics = CacheStatistics()
    }

    /// Expired entries are dropped every this many stores, so a long-lived mount stays bounded.
    private static let sweepInterval = 10_000
    /// Per-path entries kept at most (a `find` over a million names must not keep a million):
    /// past it, expired entries go, then arbitrary ones down to 90 % of it. Names a fresh listing
    /// holds are still answered from the listing (`lookup`).
    static let defaultEntryBudget = 100_000
    /// Paths plus listed names held when the memory budget sets no bound (no cgroup limit): about
    /// 50 MB of names known from listings, about 130 MB when each carries what its HEAD said
    /// (measured at a million names); a directory of more than half of it is listed again by
    /// each readdir.
    static let defaultMaxEntries = 400_000

    private let state = Mutex(State())
    private let attributeTimeout: Double
    private let negativeTimeout: Double
    let entryBudget: Int
    /// Most paths plus listed names held (`MountConfiguration.maxCachedEntries`, from the memory
    /// budget); nil: no bound but `entryBudget` and the TTL sweep.
    private let maxEntries: Int?

    init(attributeTimeout: Double, negativeTimeout: Double, entryBudget: Int = AttributeCache.defaultEntryBudget,
         maxEntries: Int? = nil) {
        self.attributeTimeout = attributeTimeout
        self.negativeTimeout = negativeTimeout
        self.entryBudget = max(entryBudget, 1)
        self.maxEntries = maxEntries.map { max(1, $0) }
    }

    /// What is known of `path` at `now`. A fresh listing of the parent answers for its children.
    func lookup(_ path: String, now: Date) -> Answer {
        state.withLock { s in
            let answer = Self.answer(s, path, now: now)
            if answer == .unknown { s.statistics.attributeMisses += 1 } else { s.statistics.attributeHits += 1 }
            return answer
        }
    }

    private static func answer(_ s: State, _ path: String, now: Date) -> Answer {
        if let entry = s.entries[path], entry.expires > now {
            return entry.stat.map { .hit($0) } ?? .absent
        }
        guard !path.isEmpty, let listing = s.listings[KeyMapping.parent(of: path)], listing.expires > now else {
            return .unknown
        }
        if let stat = listing.stat(KeyMapping.name(of: path)) { return .hit(stat) }
        return listing.complete && listing.negativeExpires > now ? .absent : .unknown
    }

    /// Hits and misses so far, and what is held now (for `-o metrics`).
    var statistics: CacheStatistics {
        state.withLock { s in
            var statistics = s.statistics
            statistics.attributeEntries = s.entries.count
            statistics.listingEntries = s.listings.count
            return statistics
        }
    }

    /// The last known stat of `path`, even expired (to keep HEAD metadata across listings).
    func stale(_ path: String) -> NodeStat? {
        state.withLock { s in
            if let entry = s.entries[path] { return entry.stat }
            guard !path.isEmpty else { return nil }
            return s.listings[KeyMapping.parent(of: path)]?.stat(KeyMapping.name(of: path))
        }
    }

    /// Bumped by every invalidation: an answer fetched before a local change must not be cached.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Caches `stat` for `path`; with `ifGeneration`, only when nothing was invalidated since.
    func store(_ path: String, _ stat: NodeStat, now: Date, ifGeneration generation: UInt64? = nil) {
        state.withLock { s in
            guard generation == nil || generation == s.generation else { return }
            s.entries[path] = Entry(stat: stat, expires: now.addingTimeInterval(attributeTimeout))
            sweepIfDue(&s, now: now)
        }
    }

    func storeAbsent(_ path: String, now: Date, ifGeneration generation: UInt64? = nil) {
        state.withLock { s in
            guard generation == nil || generation == s.generation else { return }
            s.entries[path] = Entry(stat: nil, expires: now.addingTimeInterval(negativeTimeout))
            sweepIfDue(&s, now: now)
        }
    }

    /// Marks the cached directory `path` as having a marker object (seen in its own listing).
    func noteMarker(_ path: String) {
        state.withLock { s in
            if s.entries[path]?.stat?.kind == .directory { s.entries[path]?.stat?.hasMarker = true; return }
            // Known only from its parent's listing: it gets an entry of its own that says so.
            guard !path.isEmpty, s.entries[path] == nil, let listing = s.listings[KeyMapping.parent(of: path)],
                  var stat = listing.stat(KeyMapping.name(of: path)), stat.kind == .directory else { return }
            stat.hasMarker = true
            s.entries[path] = Entry(stat: stat, expires: listing.expires)
        }
    }

    /// Remembers the listing of `directory` and the attributes of each entry (unless a local change
    /// happened since `generation`). A `complete` listing also answers "no such name" for
    /// `negativeTimeout`; an incomplete one (cut after a bounded number of pages) answers only for
    /// the names it holds and is never served to readdir.
    func storeListing(_ directory: String, entries: [ListedEntry], now: Date, ifGeneration generation: UInt64? = nil,
                      complete: Bool = true, timeout: Double? = nil) {
        let expires = now.addingTimeInterval(timeout ?? attributeTimeout)
        let entries = Self.inKeyOrder(entries)
        state.withLock { s in
            guard generation == nil || generation == s.generation else { return }
            if entries.count > largestListing {
                // Too big to keep: it would push out everything else. Its readdir reads it again.
                s.listings[directory] = nil
                s.statistics.evictions += 1
                return
            }
            s.listings[directory] = Listing(entries: entries, expires: expires,
                                            negativeExpires: now.addingTimeInterval(min(negativeTimeout, attributeTimeout)),
                                            complete: complete)
            // The listing answers for its names (`lookup`): older per-path entries of them go
            // rather than being copied, so a listed name costs one stat in memory, not two.
            if !s.entries.isEmpty {
                for entry in entries { s.entries.removeValue(forKey: KeyMapping.child(directory, entry.name)) }
            }
            s.storesSinceSweep += entries.count
            sweepIfDue(&s, now: now)
        }
    }

    private func sweepIfDue(_ s: inout State, now: Date) {
        s.storesSinceSweep += 1
        let overBound = maxEntries.map { Self.held(s) > $0 } ?? false
        if s.storesSinceSweep >= Self.sweepInterval || overBound {
            s.storesSinceSweep = 0
            s.entries = s.entries.filter { $0.value.expires > now }
            s.listings.removeAll { $0.expires <= now }
        }
        if s.entries.count > entryBudget {
            s.entries = s.entries.filter { $0.value.expires > now }
            // Arbitrary victims (dictionary order): cheap, and any of them can be asked for again.
            Self.evict(&s, entriesAbove: entryBudget - entryBudget / 10)
        }
        // Still over the memory budget's bound: forget listings first (they hold the most), then
        // entries, down to three quarters of it. Forgetting is always safe: an unknown name is
        // asked of the store again.
        guard let maxEntries, overBound else { return }
        var total = Self.held(s)
        let target = maxEntries * 3 / 4
        guard total > target else { return }
        var doomed: [String] = []
        for (directory, listing) in s.listings where total > target {
            doomed.append(directory)
            total -= 1 + listing.count
        }
        for directory in doomed { s.listings.removeValue(forKey: directory) }
        s.statistics.evictions += UInt64(doomed.count)
        Self.evict(&s, entriesAbove: target)
    }

    /// Drops arbitrary entries until at most `keep` remain, in one pass (a loop over `keys.first`
    /// would walk the emptied buckets again each time).
    private static func evict(_ s: inout State, entriesAbove keep: Int) {
        let excess = s.entries.count - keep
        guard excess > 0 else { return }
        for key in Array(s.entries.keys.prefix(excess)) { s.entries.removeValue(forKey: key) }
        s.statistics.evictions += UInt64(excess)
    }

    /// `entries` sorted by the bytes of their names, the last of equal names kept (a listing
    /// arrives in key order; a merge with local files may not be).
    private static func inKeyOrder(_ entries: [ListedEntry]) -> [ListedEntry] {
        if entries.indices.dropFirst().allSatisfy({ keyOrder(entries[$0 - 1].name, entries[$0].name) }) { return entries }
        let sorted = entries.indices.sorted { a, b in
            keyOrder(entries[a].name, entries[b].name) || (!keyOrder(entries[b].name, entries[a].name) && a < b)
        }
        var out: [ListedEntry] = []
        for entry in sorted.map({ entries[$0] }) {
            if let last = out.last, last.name.utf8.elementsEqual(entry.name.utf8) { out[out.count - 1] = entry } else { out.append(entry) }
        }
        return out
    }

    /// Paths cached plus listings and the names they hold.
    private static func held(_ s: State) -> Int {
        s.entries.count + s.listings.held
    }

    /// The kernel forgot the inode of `path`: its own entry goes (a listing of its parent that is
    /// still fresh keeps answering for it).
    func forget(_ path: String) {
        state.withLock { s in _ = s.entries.removeValue(forKey: path) }
    }

    /// Number of cached entries (for tests).
    var count: Int { state.withLock { $0.entries.count } }

    /// The most names a listing may have to be kept (`storeListing` drops bigger ones).
    var largestListing: Int { maxEntries.map { $0 / 2 } ?? .max }

    /// The fresh complete listing of `directory`, if any.
    func listing(_ directory: String, now: Date) -> [ListedEntry]? {
        state.withLock { s in
            guard var listing = s.listings[directory], listing.complete, listing.expires > now else {
                s.statistics.listingMisses += 1
                return nil
            }
            s.statistics.listingHits += 1
            guard !listing.changes.isEmpty else { return listing.entries }
            s.listings[directory] = nil  // no copy-on-write of the arrays while they change
            let merged = listing.merged()
            s.listings[directory] = listing
            return merged
        }
    }

    /// A local create (`stat`) or removal (nil) of `path`: its own entry is replaced, and a cached
    /// listing of its parent gains or loses the name instead of being dropped, so more lookups in
    /// that directory (creating many files) still need no request.
    func noteLocalChange(_ path: String, _ stat: NodeStat?, now: Date) {
        state.withLock { s in
            s.generation += 1
            s.listings[path] = nil
            s.entries[path] = Entry(stat: stat, expires: now.addingTimeInterval(stat == nil ? negativeTimeout : attributeTimeout))
            guard !path.isEmpty else { return }
            let parent = KeyMapping.parent(of: path), name = KeyMapping.name(of: path)
            guard var listing = s.listings[parent] else { return }
            s.listings[parent] = nil  // no copy-on-write of the dictionary while it changes
            listing.changes.updateValue(stat, forKey: name)
            s.listings[parent] = listing
        }
    }

    /// Forgets `path` (a local change): its entry, its parent's listing, and its own listing.
    func invalidate(_ path: String) {
        state.withLock { s in
            s.generation += 1
            s.entries[path] = nil
            s.listings[path] = nil
            if !path.isEmpty { s.listings[KeyMapping.parent(of: path)] = nil }
        }
    }

    /// Forgets `path` and everything below it.
    func invalidateTree(_ path: String) {
        state.withLock { s in
            s.generation += 1
            for key in s.entries.keys where KeyMapping.isWithin(key, directory: path) { s.entries[key] = nil }
            for key in s.listings.keys where KeyMapping.isWithin(key, directory: path) { s.listings[key] = nil }
            if !path.isEmpty { s.listings[KeyMapping.parent(of: path)] = nil }
        }
    }
}
