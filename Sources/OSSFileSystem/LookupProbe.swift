import Foundation
import OSSProtocol

/// What one listing of the keys beginning with a name's key (prefix `k`, no delimiter, a few keys)
/// says about that name. Keys come in byte order (docs/oss-behaviour.md, "Lookups and listings"):
/// `k` itself sorts first; then siblings that extend `k` with a byte below `/` (`k-1`, `k.txt`,
/// and their contents); then `k/` (a directory marker, the smallest key under `k/`) or the first
/// key under `k/`; then keys extending `k` with bytes above `/`.
enum LookupProbe {
    /// Keys the probe asks for: room for a few crowding siblings before `k/`.
    static let pageSize = 16

    enum Answer: Equatable {
        /// No key `k` and no key under `k/`.
        case nothing
        /// The object `k` (it wins over a directory `k/`, as everywhere in the mount).
        case file(ObjectSummary)
        /// Keys under `k/`; `marker`: the key `k/` itself is one.
        case directory(marker: Bool)
        /// Siblings filled the page before `k/` was reached: ask about `k/` itself.
        case undecided
    }

    static func classify(_ page: ListObjectsPage, key: String, directoryPrefix: String) -> Answer {
        if let first = page.contents.first, first.key.utf8.elementsEqual(key.utf8) { return .file(first) }
        if let inside = page.contents.first(where: { $0.key.utf8.starts(with: directoryPrefix.utf8) }) {
            return .directory(marker: inside.key.utf8.elementsEqual(directoryPrefix.utf8))
        }
        // Truncated before reaching `k/`: keys under it may follow.
        if page.isTruncated, let last = page.contents.last, last.key.utf8.lexicographicallyPrecedes(directoryPrefix.utf8) {
            return .undecided
        }
        return .nothing
    }
}
