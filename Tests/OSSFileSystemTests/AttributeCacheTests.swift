import Foundation
@testable import OSSFileSystem
import Testing

@Suite struct AttributeCacheTests {
    static let file = NodeStat(kind: .file, size: 1, mtime: Timestamp(seconds: 0), etag: nil, userMetadata: nil)

    @Test func entriesExpireAfterTheirTimeouts() {
        let cache = AttributeCache(attributeTimeout: 10, negativeTimeout: 2)
        let t0 = Date(timeIntervalSince1970: 1000)
        cache.store("a", Self.file, now: t0)
        cache.storeAbsent("b", now: t0)
        #expect(cache.lookup("a", now: t0 + 9) == .hit(Self.file))
        #expect(cache.lookup("a", now: t0 + 10) == .unknown)
        #expect(cache.lookup("b", now: t0 + 1) == .absent)
        #expect(cache.lookup("b", now: t0 + 2) == .unknown)
    }

    @Test func theEntryBudgetIsEnforcedAndListingsStillAnswer() {
        let cache = AttributeCache(attributeTimeout: 60, negativeTimeout: 5, entryBudget: 1000)
        let t0 = Date(timeIntervalSince1970: 1000)
        for i in 0..<5000 { cache.store("f\(i)", Self.file, now: t0) }
        #expect(cache.count <= 1000, "per-path entries kept within the budget")
        #expect(cache.count >= 900 - 1, "down to 90 % of it, not emptied")
        // A listing of 3000 names: the entries stay bounded, the listing answers for every name.
        let entries = (0..<3000).map { ListedEntry(name: "n\(String(format: "%04d", $0))", stat: Self.file) }
        cache.storeListing("big", entries: entries, now: t0)
        #expect(cache.count <= 1000)
        #expect(cache.stale("big/n0001") == Self.file, "a listed name's last stat comes from the listing")
        #expect(cache.lookup("big/n0000", now: t0 + 1) == .hit(Self.file))
        #expect(cache.lookup("big/n2999", now: t0 + 1) == .hit(Self.file))
        #expect(cache.lookup("big/other", now: t0 + 1) == .absent)
        #expect(cache.listing("big", now: t0 + 1)?.count == 3000)
    }

    @Test func forgettingAPathDropsItsEntryOnly() {
        let cache = AttributeCache(attributeTimeout: 60, negativeTimeout: 5)
        let t0 = Date(timeIntervalSince1970: 1000)
        cache.store("a", Self.file, now: t0)
        cache.storeListing("d", entries: [ListedEntry(name: "x", stat: Self.file)], now: t0)
        #expect(cache.count == 1, "a listed name is kept once, in the listing")
        cache.forget("a")
        cache.forget("d/x")
        #expect(cache.count == 0)
        #expect(cache.lookup("a", now: t0 + 1) == .unknown)
        #expect(cache.lookup("d/x", now: t0 + 1) == .hit(Self.file), "the parent's fresh listing still answers")
    }

    @Test func aListingAnswersForItsChildrenAndTheirAbsence() {
        let cache = AttributeCache(attributeTimeout: 10, negativeTimeout: 2)
        let t0 = Date(timeIntervalSince1970: 1000)
        cache.storeListing("d", entries: [ListedEntry(name: "x", stat: Self.file)], now: t0, ifGeneration: cache.generation)
        #expect(cache.lookup("d/x", now: t0 + 5) == .hit(Self.file))
        #expect(cache.lookup("d/y", now: t0 + 1) == .absent)
        #expect(cache.lookup("d/y", now: t0 + 3) == .unknown)
        cache.invalidate("d/x")
        #expect(cache.listing("d", now: t0 + 1) == nil)
    }

    @Test func answersFetchedBeforeALocalChangeAreNotStored() {
        let cache = AttributeCache(attributeTimeout: 10, negativeTimeout: 2)
        let t0 = Date(timeIntervalSince1970: 1000)
        let before = cache.generation
        cache.invalidate("other")
        cache.storeAbsent("a", now: t0, ifGeneration: before)
        #expect(cache.lookup("a", now: t0) == .unknown)
    }

    @Test func expiredEntriesAreSweptAway() {
        let cache = AttributeCache(attributeTimeout: 1, negativeTimeout: 1)
        let t0 = Date(timeIntervalSince1970: 1000)
        for i in 0..<10_000 { cache.store("old\(i)", Self.file, now: t0) }
        for i in 0..<10_000 { cache.store("new\(i)", Self.file, now: t0 + 5) }
        #expect(cache.count <= 10_000)
    }

    @Test func aListingTooBigForTheBoundIsNotKeptAndPushesNothingOut() {
        let cache = AttributeCache(attributeTimeout: 60, negativeTimeout: 5, maxEntries: 1000)
        let t0 = Date(timeIntervalSince1970: 1000)
        #expect(cache.largestListing == 500)
        cache.storeListing("small", entries: [ListedEntry(name: "x", stat: Self.file)], now: t0)
        let big = (0..<501).map { ListedEntry(name: String(format: "n%04d", $0), stat: Self.file) }
        cache.storeListing("big", entries: big, now: t0)
        #expect(cache.listing("big", now: t0) == nil)
        #expect(cache.lookup("big/n0001", now: t0) == .unknown)
        #expect(cache.listing("small", now: t0)?.count == 1, "the small listing stays")
    }

    /// One sorted array answers lookups by the bytes of a name: two names Swift's `==` calls equal
    /// (composed and decomposed é) are two entries, as they are two keys in OSS.
    @Test func listedNamesAreFoundByTheirBytes() {
        let cache = AttributeCache(attributeTimeout: 60, negativeTimeout: 5)
        let t0 = Date(timeIntervalSince1970: 1000)
        let composed = "caf\u{e9}", decomposed = "cafe\u{301}"
        var other = Self.file
        other.size = 2
        // Out of order on purpose: the cache sorts what it is given.
        cache.storeListing("d", entries: [ListedEntry(name: composed, stat: other), ListedEntry(name: decomposed, stat: Self.file),
                                          ListedEntry(name: "a", stat: Self.file)], now: t0)
        #expect(cache.lookup("d/" + composed, now: t0) == .hit(other))
        #expect(cache.lookup("d/" + decomposed, now: t0) == .hit(Self.file))
        #expect(cache.listing("d", now: t0)?.map(\.name) == ["a", decomposed, composed])
        // A local create and removal are seen at once and folded in order when listed.
        cache.noteLocalChange("d/b", other, now: t0)
        cache.noteLocalChange("d/a", nil, now: t0)
        #expect(cache.lookup("d/b", now: t0) == .hit(other))
        #expect(cache.lookup("d/a", now: t0) == .absent)
        #expect(cache.listing("d", now: t0)?.map(\.name) == ["b", decomposed, composed])
    }

    /// A listed name costs what its `NodeStat` costs, a million times over: the rare fields
    /// live out of line (issue 19).
    @Test func aListedStatStaysSmall() {
        #expect(MemoryLayout<NodeStat>.stride <= 88)
        var link = Self.file
        link.linkText = "target"
        let copy = link
        link.linkText = "other"
        #expect(copy.linkText == "target", "the out-of-line fields are copied on write")
        #expect(link != copy)
        link.linkText = "target"
        #expect(link == copy)
        // HEAD answers bring fresh strings; the common content type is kept once, not per name.
        let fresh = { String(decoding: Array("application/octet-stream".utf8), as: UTF8.self) }
        let a = NodeStat(kind: .file, size: 1, mtime: Timestamp(seconds: 0), etag: nil, userMetadata: [:], contentType: fresh())
        let b = NodeStat(kind: .file, size: 1, mtime: Timestamp(seconds: 0), etag: nil, userMetadata: [:], contentType: fresh())
        let storage = { (stat: NodeStat) in stat.contentType?.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) } }
        #expect(storage(a) != nil)
        #expect(storage(a) == storage(b))
        #expect(a.contentType == "application/octet-stream")
    }
}
