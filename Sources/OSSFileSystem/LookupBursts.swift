import Foundation

/// Decides when a directory sees enough lookups that needed the store to be better served by
/// listing it once (design.md: "a burst of lookups in one directory is better served by listing
/// the directory once"). Pure bookkeeping: the caller runs the listing.
struct LookupBursts: Sendable {
    /// The miss (counted within one attribute TTL) that starts a listing.
    static let threshold = 3
    /// Pages of 1000 a burst listing reads at most; a longer directory gets an incomplete listing,
    /// which answers only for the names it holds.
    static let maxPages = 10
    /// Directories tracked before old counters are dropped.
    static let maxTracked = 10_000

    enum Decision: Sendable {
        /// Ask the store about this one name.
        case lookUp
        /// List the directory now (this caller starts it).
        case list
        /// A listing of the directory is running: wait for it.
        case wait(Task<Void, Never>)
    }

    private struct Counter: Sendable {
        var misses: Int
        var since: Date
        var listing: Task<Void, Never>?
    }

    private var counters: [String: Counter] = [:]
    let window: Double

    init(window: Double) { self.window = window }

    /// Records a lookup in `directory` that the caches could not answer.
    mutating func miss(in directory: String, now: Date) -> Decision {
        if let running = counters[directory]?.listing { return .wait(running) }
        var counter = counters[directory] ?? Counter(misses: 0, since: now)
        if now.timeIntervalSince(counter.since) > window { counter = Counter(misses: 0, since: now) }
        counter.misses += 1
        if counters.count >= Self.maxTracked { counters = counters.filter { now.timeIntervalSince($0.value.since) <= window } }
        counters[directory] = counter
        return counter.misses >= Self.threshold ? .list : .lookUp
    }

    /// The listing `task` of `directory` has started.
    mutating func started(_ task: Task<Void, Never>, in directory: String) {
        counters[directory, default: Counter(misses: 0, since: Date())].listing = task
    }

    /// The listing of `directory` ended (its answer is in the cache, or it failed): counting restarts.
    mutating func finished(in directory: String) {
        counters[directory] = nil
    }
}
