import Foundation

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
        var entries: [ListedEntry]
        var names: [String: Int]
        var expires: Date
        var negativeExpires: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var listings: [String: Listing] = [:]
        var generation: UInt64 = 0
        var storesSinceSweep = 0
    }

    /// Expired entries are dropped every this many stores, so a long-lived mount stays bounded.
    private static let sweepInterval = 10_000

    private let state = Locked(State())
    private let attributeTimeout: Double
    private let negativeTimeout: Double

    init(attributeTimeout: Double, negativeTimeout: Double) {
        self.attributeTimeout = attributeTimeout
        self.negativeTimeout = negativeTimeout
    }

    /// What is known of `path` at `now`. A fresh listing of the parent answers for its children.
    func lookup(_ path: String, now: Date) -> Answer {
        state.withLock { s in
            if let entry = s.entries[path], entry.expires > now {
                return entry.stat.map { .hit($0) } ?? .absent
            }
            guard !path.isEmpty, let listing = s.listings[KeyMapping.parent(of: path)], listing.expires > now else {
                return .unknown
            }
            if let index = listing.names[KeyMapping.name(of: path)] { return .hit(listing.entries[index].stat) }
            return listing.negativeExpires > now ? .absent : .unknown
        }
    }

    /// The last known stat of `path`, even expired (to keep HEAD metadata across listings).
    func stale(_ path: String) -> NodeStat? {
        state.withLock { $0.entries[path]?.stat }
    }

    /// Bumped by every invalidation: an answer fetched before a local change must not be cached.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Caches `stat` for `path`; with `ifGeneration`, only when nothing was invalidated since.
    func store(_ path: String, _ stat: NodeStat, now: Date, ifGeneration generation: UInt64? = nil) {
        state.withLock { s in
            guard generation == nil || generation == s.generation else { return }
            s.entries[path] = Entry(stat: stat, expires: now.addingTimeInterval(attributeTimeout))
            Self.sweepIfDue(&s, now: now)
        }
    }

    func storeAbsent(_ path: String, now: Date, ifGeneration generation: UInt64? = nil) {
        state.withLock { s in
            guard generation == nil || generation == s.generation else { return }
            s.entries[path] = Entry(stat: nil, expires: now.addingTimeInterval(negativeTimeout))
            Self.sweepIfDue(&s, now: now)
        }
    }

    /// Marks the cached directory `path` as having a marker object (seen in its own listing).
    func noteMarker(_ path: String) {
        state.withLock { s in
            if s.entries[path]?.stat?.kind == .directory { s.entries[path]?.stat?.hasMarker = true }
        }
    }

    /// Remembers the listing of `directory` and the attributes of each entry (unless a local change
    /// happened since `generation`).
    func storeListing(_ directory: String, entries: [ListedEntry], now: Date, ifGeneration generation: UInt64) {
        let expires = now.addingTimeInterval(attributeTimeout)
        var names: [String: Int] = [:]
        for (index, entry) in entries.enumerated() { names[entry.name] = index }
        state.withLock { s in
            guard generation == s.generation else { return }
            s.listings[directory] = Listing(entries: entries, names: names, expires: expires,
                                            negativeExpires: now.addingTimeInterval(min(negativeTimeout, attributeTimeout)))
            for entry in entries {
                s.entries[KeyMapping.child(directory, entry.name)] = Entry(stat: entry.stat, expires: expires)
            }
            s.storesSinceSweep += entries.count
            Self.sweepIfDue(&s, now: now)
        }
    }

    private static func sweepIfDue(_ s: inout State, now: Date) {
        s.storesSinceSweep += 1
        guard s.storesSinceSweep >= sweepInterval else { return }
        s.storesSinceSweep = 0
        s.entries = s.entries.filter { $0.value.expires > now }
        s.listings = s.listings.filter { $0.value.expires > now }
    }

    /// Number of cached entries (for tests).
    var count: Int { state.withLock { $0.entries.count } }

    /// The fresh listing of `directory`, if any.
    func listing(_ directory: String, now: Date) -> [ListedEntry]? {
        state.withLock { s in
            guard let listing = s.listings[directory], listing.expires > now else { return nil }
            return listing.entries
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
