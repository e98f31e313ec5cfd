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
}
