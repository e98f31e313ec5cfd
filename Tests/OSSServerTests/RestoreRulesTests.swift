import Foundation
import OSSProtocol
@testable import OSSServer
import XCTest

/// The restore rule as a state machine, on a manual clock: frozen, ongoing for the delay, restored
/// for the days asked, frozen again; a row of an older object version does not apply.
final class RestoreRulesTests: XCTestCase {
    private let day = RestoreRules.dayMillis

    private func object(_ storageClass: String = "Archive", etag: String = "\"E\"", mtime: Int64 = 1_000) -> ObjectRecord {
        ObjectRecord(bucket: "b", key: "k", type: .normal, size: 1, etag: etag, crc64: 0, contentMD5: nil,
                     lastModifiedMillis: mtime, acl: .default, storageClass: storageClass, standardHeaders: [:],
                     userMetadata: [:], dataId: nil, symlinkTarget: nil)
    }

    func testARestoreRunsForTheDelayThenLastsTheDaysAskedThenTheObjectIsFrozenAgain() throws {
        let cold = object()
        XCTAssertEqual(RestoreRules.status(of: cold, row: nil, now: 0), .frozen)
        guard case .started(let row) = RestoreRules.request(cold, row: nil, days: 2, tier: nil, delay: 60_000, now: 10_000)
        else { return XCTFail("a frozen object starts a restore") }
        XCTAssertEqual(RestoreRules.status(of: cold, row: row, now: 69_999), .ongoing)
        XCTAssertEqual(RestoreRules.request(cold, row: row, days: 2, tier: nil, delay: 60_000, now: 69_999), .inProgress)
        let expiry = 70_000 + 2 * day
        XCTAssertEqual(RestoreRules.status(of: cold, row: row, now: 70_000),
                       .restored(until: Date(timeIntervalSince1970: Double(expiry) / 1000)))
        XCTAssertEqual(RestoreRules.status(of: cold, row: row, now: expiry), .frozen, "expired after the days asked")
        // Asked again while restored: 200, the expiry moves out (never in).
        guard case .extended(let longer) = RestoreRules.request(cold, row: row, days: 5, tier: nil, delay: 60_000, now: 80_000)
        else { return XCTFail("a restored object is extended") }
        XCTAssertEqual(longer.expiresMillis, 80_000 + 5 * day)
        guard case .extended(let same) = RestoreRules.request(cold, row: longer, days: 1, tier: nil, delay: 0, now: 90_000)
        else { return XCTFail("extended again") }
        XCTAssertEqual(same.expiresMillis, longer.expiresMillis)
        // After expiry a new request starts a new restore.
        guard case .started = RestoreRules.request(cold, row: row, days: 1, tier: nil, delay: 0, now: expiry) else {
            return XCTFail("an expired restore starts again")
        }
    }

    func testARowAppliesOnlyToTheObjectVersionItWasAskedForAndOnlyToArchiveClasses() {
        let row = RestoreRecord(bucket: "b", key: "k", etag: "\"E\"", objectMillis: 1_000, readyMillis: 0,
                                expiresMillis: 10 * day, tier: nil)
        XCTAssertNotEqual(RestoreRules.status(of: object(), row: row, now: 5), .frozen)
        XCTAssertEqual(RestoreRules.status(of: object(etag: "\"F\""), row: row, now: 5), .frozen, "replaced object")
        XCTAssertEqual(RestoreRules.status(of: object(mtime: 2_000), row: row, now: 5), .frozen, "rewritten object")
        XCTAssertEqual(RestoreRules.status(of: object("Standard"), row: row, now: 5), .frozen)
    }

    func testDaysAndTiersPerClass() throws {
        XCTAssertEqual(try RestoreRules.validate(RestoreRequest(), storageClass: "Archive").days, 1)
        XCTAssertEqual(try RestoreRules.validate(RestoreRequest(days: 7, tier: "Bulk"), storageClass: "Archive").tier, nil)
        XCTAssertThrowsError(try RestoreRules.validate(RestoreRequest(days: 8), storageClass: "Archive"))
        XCTAssertThrowsError(try RestoreRules.validate(RestoreRequest(days: 0), storageClass: "ColdArchive"))
        XCTAssertEqual(try RestoreRules.validate(RestoreRequest(days: 365), storageClass: "ColdArchive").tier, "Standard")
        XCTAssertEqual(try RestoreRules.validate(RestoreRequest(days: 3, tier: "Bulk"), storageClass: "ColdArchive").tier, "Bulk")
        XCTAssertThrowsError(try RestoreRules.validate(RestoreRequest(days: 3, tier: "Bulk"), storageClass: "DeepColdArchive"))
        XCTAssertThrowsError(try RestoreRules.validate(RestoreRequest(days: 3, tier: "Soon"), storageClass: "ColdArchive"))
    }

    func testTheRestoreRequestBodyAndTheRestoreHeaderRoundTrip() throws {
        let body = RestoreRequest(days: 3, tier: "Expedited")
        XCTAssertEqual(String(decoding: body.xmlDocument(), as: UTF8.self),
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RestoreRequest><Days>3</Days><JobParameters><Tier>Expedited</Tier></JobParameters></RestoreRequest>")
        XCTAssertEqual(try RestoreRequest.decode(body.xmlDocument()), body)
        XCTAssertEqual(try RestoreRequest.decode(Data("<RestoreRequest/>".utf8)), RestoreRequest())
        XCTAssertThrowsError(try RestoreRequest.decode(Data("<RestoreRequest><Days>x</Days></RestoreRequest>".utf8)))
        let until = Date(timeIntervalSince1970: 1_492_244_353)
        XCTAssertEqual(RestoreStatus.restored(until: until).headerValue,
                       "ongoing-request=\"false\", expiry-date=\"Sat, 15 Apr 2017 08:19:13 GMT\"")
        XCTAssertEqual(RestoreStatus(header: RestoreStatus.restored(until: until).headerValue), .restored(until: until))
        XCTAssertEqual(RestoreStatus(header: "ongoing-request=\"true\""), .ongoing)
        XCTAssertEqual(RestoreStatus(header: nil), .frozen)
        XCTAssertNil(RestoreStatus.frozen.headerValue)
    }
}
