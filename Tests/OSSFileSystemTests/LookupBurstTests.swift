import Foundation
import OSSFileSystem
import OSSProtocol
import Testing

/// A burst of lookups in one directory lists it once; a directory made or listed here answers
/// new names without requests.
@Suite struct LookupBurstTests {
    @Test(arguments: Backend.allCases, [true, false])
    func statOfManyUnlistedFilesCostsAboutOneListing(_ backend: Backend, listingOnly: Bool) async throws {
        let h = try await Harness(backend, configuration: listingOnly ? Harness.listingOnlyConfiguration : Harness.defaultConfiguration)
        let names = (0..<1000).map { String(format: "f%04d", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: names.count, by: 100) {
                group.addTask {
                    for name in names[chunk..<chunk + 100] {
                        try await h.raw.putObject("big/" + name, body: .bytes(Data(name.utf8)), options: WriteOptions())
                    }
                }
            }
            try await group.waitForAll()
        }
        let dir = try await h.ino("big")
        h.store.reset()
        for name in names {
            let reply = try await h.fs.lookup(parent: dir, name: name)
            #expect(reply.attributes.size == 5)
        }
        // Two isolated lookups (probe listing + HEAD each), then one listing of one page answers the rest:
        // in the listing-only mode entirely, else each found name still costs its HEAD (its stored
        // attributes) but no probe listing.
        #expect(h.store.requests(.listObjects) == 2 + 1, "\(h.store.summary)")
        #expect(h.store.requests(.headObject) == (listingOnly ? 2 : 1000), "\(h.store.summary)")
        #expect(h.store.total == (listingOnly ? 5 : 1003), "\(h.store.summary)")

        // The listing is complete: a missing name is answered without a request while it is fresh.
        h.store.reset()
        #expect(await errnoOf { _ = try await h.fs.lookup(parent: dir, name: "nothing") } == ENOENT)
        #expect(h.store.total == 0)
        // After negative_timeout the listing no longer proves absence (found ones still answer).
        h.clock.advance(h.configuration.negativeTimeout + 1)
        _ = try await h.fs.lookup(parent: dir, name: "f0500")
        #expect(h.store.total == 0)
        #expect(await errnoOf { _ = try await h.fs.lookup(parent: dir, name: "nothing2") } == ENOENT)
        #expect(h.store.requests(.headObject) == 0, "a missing name costs its probe listing only")
        #expect(h.store.requests(.listObjects) == 1)
    }

    @Test(arguments: Backend.allCases)
    func anIsolatedLookupStillSendsHeadAndProbeOnly(_ backend: Backend) async throws {
        let h = try await Harness(backend)
        for i in 0..<5 { try await h.raw.putObject("d/f\(i)", body: .bytes(Data()), options: WriteOptions()) }
        let dir = try await h.ino("d")
        h.store.reset()
        _ = try await h.fs.lookup(parent: dir, name: "f1")
        #expect(h.store.requests(.headObject) == 1)
        #expect(h.store.requests(.listObjects) == 1)
        #expect(h.store.total == 2)
        // Misses in other directories do not add up.
        for i in 0..<4 { try await h.raw.putObject("d/e\(i)/x", body: .bytes(Data()), options: WriteOptions()) }
        var others: [InodeNumber] = []
        for i in 0..<4 { others.append(try await h.ino("d/e\(i)")) }
        for other in others {
            h.store.reset()
            _ = try await h.fs.lookup(parent: other, name: "x")
            #expect(h.store.total == 2)
        }
    }

    /// Over 10 pages: the burst listing is cut short; names beyond it are still found, and a
    /// missing name is never answered from the incomplete listing.
    @Test(arguments: [true, false])
    func aLongDirectoryGetsAnIncompleteListingThatOnlyAnswersPositively(listingOnly: Bool) async throws {
        let h = try await Harness(.memory, configuration: listingOnly ? Harness.listingOnlyConfiguration : Harness.defaultConfiguration)
        for i in 0..<10_050 { try await h.raw.putObject(String(format: "huge/f%05d", i), body: .bytes(Data()), options: WriteOptions()) }
        let dir = try await h.ino("huge")
        for name in ["f00001", "f00002", "f00003"] { _ = try await h.fs.lookup(parent: dir, name: name) }
        h.store.reset()
        _ = try await h.fs.lookup(parent: dir, name: "f09000")
        // Found in the listing; the stored attributes cost one HEAD unless the mount is listing-only.
        #expect(h.store.total == (listingOnly ? 0 : 1), "\(h.store.summary)")
        #expect(h.store.requests(.listObjects) == 0)
        h.store.reset()
        _ = try await h.fs.lookup(parent: dir, name: "f10040")
        #expect(h.store.requests(.headObject) == 1)
        #expect(await errnoOf { _ = try await h.fs.lookup(parent: dir, name: "f99999") } == ENOENT)
        // readdir never serves the incomplete listing.
        #expect(try await h.ls("huge").count == 10_050)
    }

    @Test(arguments: Backend.allCases, [true, false])
    func concurrentLookupsShareTheBurstListing(_ backend: Backend, listingOnly: Bool) async throws {
        let h = try await Harness(backend, configuration: listingOnly ? Harness.listingOnlyConfiguration : Harness.defaultConfiguration)
        for i in 0..<200 { try await h.raw.putObject("c/f\(i)", body: .bytes(Data()), options: WriteOptions()) }
        let dir = try await h.ino("c")
        h.store.reset()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 { group.addTask { _ = try await h.fs.lookup(parent: dir, name: "f\(i)") } }
            try await group.waitForAll()
        }
        // The lookups in flight before the listing started are bounded by the threshold plus
        // those racing it; far fewer than one pair per name. By default each found name then costs
        // its one HEAD (its stored attributes), never a probe listing.
        #expect(h.store.requests(.listObjects) < 20, "\(h.store.summary)")
        #expect(h.store.total < (listingOnly ? 40 : 200 + 40), "\(h.store.summary)")
    }
}
