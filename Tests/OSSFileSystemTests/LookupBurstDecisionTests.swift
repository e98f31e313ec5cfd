import Foundation
@testable import OSSFileSystem
import Testing

/// The burst decision alone, without any store.
@Suite struct LookupBurstDecisionTests {
    static func isLookUp(_ d: LookupBursts.Decision) -> Bool { if case .lookUp = d { return true }; return false }
    static func isList(_ d: LookupBursts.Decision) -> Bool { if case .list = d { return true }; return false }
    static func isWait(_ d: LookupBursts.Decision) -> Bool { if case .wait = d { return true }; return false }

    @Test func theThirdMissWithinTheWindowLists() {
        var bursts = LookupBursts(window: 10)
        let t0 = Date(timeIntervalSince1970: 1000)
        #expect(Self.isLookUp(bursts.miss(in: "d", now: t0)))
        #expect(Self.isLookUp(bursts.miss(in: "d", now: t0 + 1)))
        #expect(Self.isLookUp(bursts.miss(in: "other", now: t0 + 1)))
        #expect(Self.isList(bursts.miss(in: "d", now: t0 + 2)))
    }

    @Test func missesOutsideTheWindowStartOver() {
        var bursts = LookupBursts(window: 10)
        let t0 = Date(timeIntervalSince1970: 1000)
        _ = bursts.miss(in: "d", now: t0)
        _ = bursts.miss(in: "d", now: t0 + 1)
        #expect(Self.isLookUp(bursts.miss(in: "d", now: t0 + 20)))
        #expect(Self.isLookUp(bursts.miss(in: "d", now: t0 + 21)))
        #expect(Self.isList(bursts.miss(in: "d", now: t0 + 22)))
    }

    @Test func lookupsWaitForARunningListingThenCountingRestarts() async {
        var bursts = LookupBursts(window: 10)
        let t0 = Date(timeIntervalSince1970: 1000)
        for _ in 0..<3 { _ = bursts.miss(in: "d", now: t0) }
        let task = Task<Void, Never> {}
        bursts.started(task, in: "d")
        #expect(Self.isWait(bursts.miss(in: "d", now: t0)))
        bursts.finished(in: "d")
        #expect(Self.isLookUp(bursts.miss(in: "d", now: t0)))
        await task.value
    }
}
