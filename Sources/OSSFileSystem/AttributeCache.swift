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

    private struct Listing {
        var stats: [String: NodeStat]
        /// The entries in key order, rebuilt after a local change.
        var sorted: [ListedEntry]?
        var expires: Date
        /// Until when a name missing from the listing is known not to exist (never, for a listing
        /// cut short after a bounded number of pages).
        var negativeExpires: Date
        var complete: Bool
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
                if let old = byDirectory[directory] { held -= 1 + old.stats.count }
                if let newValue { held += 1 + newValue.stats.count }
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
        if let stat = listing.stats[KeyMapping.name(of: path)] { return .hit(stat) }
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
            return s.listings[KeyMapping.parent(of: path)]?.stats[KeyMapping.name(of: path)]
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
                  var stat = listing.stats[KeyMapping.name(of: path)], stat.kind == .directory else { return }
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
        var stats: [String: NodeStat] = [:]
        for entry in entries { stats[entry.name] = entry.stat }
        state.withLock { s in
            guard generation == nil || generation == s.generation else { return }
            s.listings[directory] = Listing(stats: stats, sorted: entries, expires: expires,
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
            total -= 1 + listing.stats.count
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

    /// The fresh complete listing of `directory`, if any.
    func listing(_ directory: String, now: Date) -> [ListedEntry]? {
        state.withLock { s in
            guard var listing = s.listings[directory], listing.complete, listing.expires > now else {
                s.statistics.listingMisses += 1
                return nil
            }
            s.statistics.listingHits += 1
            if let sorted = listing.sorted { return sorted }
            let sorted = listing.stats.map { ListedEntry(name: $0.key, stat: $0.value) }.sorted { keyOrder($0.name, $1.name) }
            listing.sorted = sorted
            s.listings[directory] = listing
            return sorted
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
            listing.stats[name] = stat
            listing.sorted = nil
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
