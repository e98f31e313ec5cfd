import Foundation
import Synchronization
import OSSProtocol

/// First pages of directory listings brought back by lookups (`ListObjectsV2` of `d/` with
/// delimiter `/`, sent when siblings crowded the lookup's probe: see `LookupProbe`), kept briefly
/// so that the listing of `d` which usually follows its lookup
/// (`ls -l d`, `find`, `cp -r`) starts from page two. A page is used at most once, only while no
/// local change happened since it was fetched (the attribute cache's generation) and while it is
/// younger than the attribute timeout: the same promise as any cached listing.
final class DirectoryProbePages: Sendable {
    /// Keys a probe asks for: the page size of a directory listing.
    static let pageSize = 1000
    /// Pages kept at most; the oldest go first (a lookup storm must not hold much memory).
    static let capacity = 64

    private struct Kept {
        var page: ListObjectsPage
        var time: Date
        var generation: UInt64
    }

    private let pages = Mutex([String: Kept]())

    func keep(_ page: ListObjectsPage, for path: String, time: Date, generation: UInt64) {
        pages.withLock { pages in
            if pages.count >= Self.capacity, let oldest = pages.min(by: { $0.value.time < $1.value.time })?.key {
                pages[oldest] = nil
            }
            pages[path] = Kept(page: page, time: time, generation: generation)
        }
    }

    /// The kept first page of `path`'s listing, if still valid; removes it either way.
    func take(for path: String, generation: UInt64, now: Date, maxAge: Double) -> ListObjectsPage? {
        guard let kept = pages.withLock({ $0.removeValue(forKey: path) }) else { return nil }
        guard kept.generation == generation, now.timeIntervalSince(kept.time) < maxAge else { return nil }
        return kept.page
    }
}
