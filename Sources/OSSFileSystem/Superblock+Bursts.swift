import Foundation

extension Superblock {
    /// For a lookup the caches cannot answer: counts the miss in its directory and, from the
    /// `LookupBursts.threshold`-th miss within the attribute TTL, lists the directory once (at most
    /// `LookupBursts.maxPages` pages) and answers from that listing; lookups arriving meanwhile wait
    /// for it. Nil when the answer must come from the store (an isolated lookup: HEAD + probe).
    func answerFromBurstListing(_ path: String) async throws(FSError) -> NodeStat? {
        let directory = KeyMapping.parent(of: path)
        let now = clock()
        let task: Task<Void, Never>? = bursts.withLock { bursts in
            switch bursts.miss(in: directory, now: now) {
            case .lookUp:
                return nil
            case .wait(let running):
                return running
            case .list:
                let task = Task { await self.burstList(directory) }
                bursts.started(task, in: directory)
                return task
            }
        }
        guard let task else { return nil }
        await task.value
        switch cache.lookup(path, now: clock()) {
        case .hit(let stat): return stat
        case .absent: throw FSError(ENOENT)
        case .unknown: return nil
        }
    }

    /// Lists `directory` (bounded) into the cache; a failure only means the lookups ask the store.
    private func burstList(_ directory: String) async {
        defer { bursts.withLock { $0.finished(in: directory) } }
        let now = clock()
        let cache = self.cache
        let generation = cache.generation
        guard let (entries, marker, complete) = try? await listing.fetch(directory, maxPages: LookupBursts.maxPages,
                                                                          previous: { [self] in previousStat($0) }) else { return }
        cache.storeListing(directory, entries: entries, now: now, ifGeneration: generation, complete: complete)
        if marker { cache.noteMarker(directory) }
    }
}
