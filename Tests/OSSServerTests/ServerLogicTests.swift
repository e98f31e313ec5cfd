import Foundation
import OSSProtocol
@testable import OSSServer
import XCTest

/// Pure decision logic of the server, table-driven, without I/O.
final class ServerLogicTests: XCTestCase {
    func testRangeRulesOfOssProtocol25() throws {
        // (header, standard, expected range or nil for "whole object", expect 416)
        let cases: [(String?, Bool, ClosedRange<Int64>?, Bool)] = [
            (nil, false, nil, false),
            ("bytes=0-499", false, 0...499, false),
            ("bytes=-500", false, 500...999, false),
            ("bytes=500-", false, 500...999, false),
            ("bytes=500-2000", false, nil, false),
            ("bytes=500-2000", true, 500...999, false),
            ("bytes=1000-2000", false, nil, false),
            ("bytes=1000-2000", true, nil, true),
            ("bytes=abc", false, nil, false),
            ("bytes=abc", true, nil, true),
            ("bytes=0-1,5-6", false, nil, false),
            ("bytes=0-1,5-6", true, nil, true),
            ("bytes=5-1", false, nil, false),
            ("bytes=-2000", true, 0...999, false),
            ("items=0-1", false, nil, false),
        ]
        for (header, standard, expected, fails) in cases {
            do {
                let range = try RangeSpec.resolve(header, size: 1000, standard: standard)
                XCTAssertFalse(fails, "\(header ?? "nil") standard=\(standard) should be 416")
                XCTAssertEqual(range, expected, "\(header ?? "nil") standard=\(standard)")
            } catch let error as ServerError {
                XCTAssertTrue(fails, "\(header ?? "nil") standard=\(standard): unexpected \(error)")
                XCTAssertEqual(error.code, "InvalidRange")
            }
        }
        XCTAssertThrowsError(try RangeSpec.resolve("bytes=0-", size: 0, standard: true))
        XCTAssertNil(try RangeSpec.resolve("bytes=0-", size: 0, standard: false))
    }

    /// The access policy is a list of what anonymous callers may reach; anything not on it, such as
    /// an operation added to `OSSOperation` later (modelled here by every case not listed, and by
    /// `.unsupported`), is the owner's alone.
    func testAccessPolicyDeniesEveryOperationNotListedAsReachable() {
        XCTAssertTrue(AccessPolicy.isOwnerOnly(.unsupported))
        for operation in OSSOperation.allCases {
            XCTAssertEqual(AccessPolicy.isOwnerOnly(operation), !AccessPolicy.anonymouslyReachable.contains(operation),
                           "\(operation)")
        }
        for ownerOnly: OSSOperation in [.listBuckets, .putBucket, .deleteBucket, .getBucketInfo, .getBucketLocation,
                                        .putBucketACL, .getBucketACL, .putObjectACL, .getObjectACL] {
            XCTAssertTrue(AccessPolicy.isOwnerOnly(ownerOnly), "\(ownerOnly)")
        }
        XCTAssertFalse(AccessPolicy.isOwnerOnly(.getObject))
    }

    func testAddressingPathAndVirtualHosted() throws {
        let exists: (String) -> Bool = { $0 == "bkt" }
        func resolve(_ host: String, _ path: String) throws -> [String?] {
            let r = try AddressResolver.resolve(hostName: host, rawPath: path, bucketExists: exists)
            return [r.bucket, r.key]
        }
        XCTAssertEqual(try resolve("127.0.0.1", "/"), [nil, nil])
        XCTAssertEqual(try resolve("127.0.0.1", "/bkt"), ["bkt", nil])
        XCTAssertEqual(try resolve("127.0.0.1", "/bkt/"), ["bkt", nil])
        XCTAssertEqual(try resolve("127.0.0.1", "/bkt/a%20b/c%2Bd"), ["bkt", "a b/c+d"])
        XCTAssertEqual(try resolve("bkt.localhost", "/k"), ["bkt", "k"])
        XCTAssertEqual(try resolve("bkt.127.0.0.1.nip.io", "/k/x"), ["bkt", "k/x"])
        XCTAssertEqual(try resolve("other.localhost", "/bkt/k"), ["bkt", "k"], "unknown first label: path style")
        XCTAssertEqual(try resolve("10.0.0.1", "/bkt/k"), ["bkt", "k"], "an IP is never a virtual host")
        XCTAssertThrowsError(try resolve("127.0.0.1", "/bkt/%ZZ"))
        XCTAssertThrowsError(try resolve("127.0.0.1", "/bkt/" + String(repeating: "k", count: 1024)))
        XCTAssertThrowsError(try resolve("127.0.0.1", "/bkt//leading-slash"))
    }

    func testPreconditionsFollowHTTPSemantics() {
        let etag = "\"ABC\""
        let modified = Date(timeIntervalSince1970: 1_700_000_000)
        let before = HTTPDate.rfc1123(modified.addingTimeInterval(-10))
        let same = HTTPDate.rfc1123(modified)
        func check(_ headers: [String: String]) -> String? {
            do {
                try Preconditions.check({ headers[$0] }, etag: etag, lastModified: modified)
                return nil
            } catch let error as ServerError {
                return String(error.status)
            } catch { return "other" }
        }
        XCTAssertNil(check(["if-match": "\"abc\""]), "ETag comparison ignores case and quotes")
        XCTAssertEqual(check(["if-match": "\"XYZ\""]), "412")
        XCTAssertNil(check(["if-match": "*"]))
        XCTAssertEqual(check(["if-none-match": "\"ABC\""]), "304")
        XCTAssertEqual(check(["if-modified-since": same]), "304")
        XCTAssertNil(check(["if-modified-since": before]))
        XCTAssertEqual(check(["if-unmodified-since": before]), "412")
        XCTAssertNil(check(["if-unmodified-since": same]))
        XCTAssertNil(check(["if-match": etag, "if-unmodified-since": before]), "If-Match wins over If-Unmodified-Since")
        XCTAssertNil(check(["if-modified-since": "garbage"]), "unparseable dates are ignored")
    }

    func testListingSuccessorAndDelimiter() {
        XCTAssertEqual(StorageEngine.successor(of: Array("a/".utf8)), Array("a0".utf8))
        XCTAssertEqual(StorageEngine.successor(of: [0x61, 0xFF]), [0x62])
        XCTAssertNil(StorageEngine.successor(of: [0xFF, 0xFF]))
        XCTAssertEqual(StorageEngine.delimiterEnd(in: Array("p/a/b".utf8), from: 2, delimiter: Array("/".utf8)), 4)
        XCTAssertNil(StorageEngine.delimiterEnd(in: Array("p/ab".utf8), from: 2, delimiter: Array("/".utf8)))
        XCTAssertEqual(StorageEngine.delimiterEnd(in: Array("x--y--z".utf8), from: 0, delimiter: Array("--".utf8)), 3)
    }

    func testContinuationTokensRoundTripAnyKey() {
        for key in ["", "a/b", "ü ✓", "ctrl\u{1}"] {
            XCTAssertEqual(ListObjectsHandler.decodeToken(ListObjectsHandler.encodeToken(key)), key)
        }
        XCTAssertNil(ListObjectsHandler.decodeToken("zz"))
        XCTAssertNil(ListObjectsHandler.decodeToken("abc"))
    }

    func testStorageListingPagesAndRollsUpPrefixes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-logic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = try StorageEngine(root: root.path)
        try storage.createBucket("b")
        for key in ["a/1", "a/2", "a/b/3", "b", "c/", "c/d", "é"] {
            try storage.commitObject(ObjectRecord(
                bucket: "b", key: key, type: .normal, size: 0, etag: "\"E\"", crc64: 0, contentMD5: nil,
                lastModifiedMillis: 0, acl: .default, storageClass: "Standard", standardHeaders: [:], userMetadata: [:],
                dataId: nil, symlinkTarget: nil), forbidOverwrite: false)
        }
        let top = try storage.list(bucket: "b", ListingQuery(delimiter: "/", maxKeys: 100))
        XCTAssertEqual(top.commonPrefixes, ["a/", "c/"])
        XCTAssertEqual(top.entries.map(\.key), ["b", "é"])
        var seen: [String] = []
        var after: String?
        repeat {
            let page = try storage.list(bucket: "b", ListingQuery(delimiter: "/", after: after, maxKeys: 1))
            seen += page.commonPrefixes + page.entries.map(\.key)
            after = page.nextMarker
        } while after != nil
        XCTAssertEqual(seen, ["a/", "b", "c/", "é"], "one item per page, prefixes never repeated")
        let under = try storage.list(bucket: "b", ListingQuery(prefix: "a/", maxKeys: 2))
        XCTAssertEqual(under.entries.map(\.key), ["a/1", "a/2"])
        XCTAssertTrue(under.isTruncated)
        XCTAssertEqual(under.nextMarker, "a/2")
        XCTAssertThrowsError(try storage.list(bucket: "missing", ListingQuery()))
        XCTAssertThrowsError(try storage.deleteBucket("b"), "a bucket with objects cannot be deleted")
    }
}

/// The listing is a bounded range scan: its cost follows what it returns, not what lies around it.
final class ServerListingScanTests: XCTestCase {
    private func populated(_ spec: String) throws -> (StorageEngine, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-scan-\(UUID().uuidString)")
        let storage = try StorageEngine(root: root.path)
        try storage.createBucket("b")
        let parsed = try XCTUnwrap(PopulateSpec(spec))
        XCTAssertEqual(try storage.populate(bucket: "b", parsed), parsed.objectCount)
        return (storage, root)
    }

    private func scanned(_ storage: StorageEngine, _ body: () throws -> Void) throws -> Int {
        let before = try storage.exclusively { storage.index.rowsScanned }
        try body()
        return try storage.exclusively { storage.index.rowsScanned } - before
    }

    func testCommonPrefixesAreSkippedWithOneSeekEach() throws {
        let (storage, root) = try populated("tree/:200x50,zz/:3000")
        defer { try? FileManager.default.removeItem(at: root) }
        var page = ListingResult()
        let rows = try scanned(storage) { page = try storage.list(bucket: "b", ListingQuery(prefix: "tree/", delimiter: "/", maxKeys: 1000)) }
        XCTAssertEqual(page.commonPrefixes.count, 200)
        XCTAssertEqual(page.commonPrefixes.first, "tree/d000/")
        XCTAssertEqual(page.commonPrefixes.last, "tree/d199/")
        XCTAssertFalse(page.isTruncated)
        XCTAssertLessThanOrEqual(rows, 201, "one row per common prefix, not its 50 objects; nothing past tree/")
    }

    func testScanStopsAtPrefixEndAndAtMaxKeys() throws {
        let (storage, root) = try populated("a/:10,a0/:5000,b/:5000")
        defer { try? FileManager.default.removeItem(at: root) }
        var page = ListingResult()
        var rows = try scanned(storage) { page = try storage.list(bucket: "b", ListingQuery(prefix: "a/", delimiter: "/", maxKeys: 1000)) }
        XCTAssertEqual(page.entries.map(\.key), (0..<10).map { "a/f\($0)" })
        XCTAssertLessThanOrEqual(rows, 10, "the scan ends at the prefix's end, not max-keys rows later")
        rows = try scanned(storage) { page = try storage.list(bucket: "b", ListingQuery(prefix: "b/", delimiter: "/", maxKeys: 7)) }
        XCTAssertEqual(page.entries.count, 7)
        XCTAssertTrue(page.isTruncated)
        XCTAssertEqual(page.nextMarker, "b/f0006")
        XCTAssertLessThanOrEqual(rows, 8)
        rows = try scanned(storage) { page = try storage.list(bucket: "b", ListingQuery(prefix: "a", delimiter: "/", maxKeys: 1)) }
        XCTAssertEqual(page.commonPrefixes, ["a/"])
        XCTAssertTrue(page.isTruncated, "a0/ follows")
        XCTAssertLessThanOrEqual(rows, 2)
        rows = try scanned(storage) { page = try storage.list(bucket: "b", ListingQuery(prefix: "nothing", delimiter: "/", maxKeys: 1000)) }
        XCTAssertTrue(page.entries.isEmpty && page.commonPrefixes.isEmpty)
        XCTAssertEqual(rows, 0)
        // Paging by marker over common prefixes and objects gives each once.
        var seen: [String] = []
        var after: String?
        repeat {
            page = try storage.list(bucket: "b", ListingQuery(delimiter: "/", after: after, maxKeys: 2))
            seen += page.commonPrefixes + page.entries.map(\.key)
            after = page.nextMarker
        } while after != nil
        XCTAssertEqual(seen, ["a/", "a0/", "b/"])
    }

    func testPopulateSpecSyntax() throws {
        XCTAssertEqual(PopulateSpec("big/:500000,tree/:1000x500")?.objectCount, 1_000_000)
        XCTAssertEqual(PopulateSpec(":3")?.objectCount, 3)
        XCTAssertNil(PopulateSpec("big:5"), "a directory ends with /")
        XCTAssertNil(PopulateSpec("/big/:5"))
        XCTAssertNil(PopulateSpec("big/:x5"))
        XCTAssertNil(PopulateSpec("big/:-1"))
        XCTAssertNil(PopulateSpec(""))
        var keys: [String] = []
        PopulateSpec("t/:2x3,:2")!.forEachKey { keys.append($0) }
        XCTAssertEqual(keys, ["t/d0/f0", "t/d0/f1", "t/d0/f2", "t/d1/f0", "t/d1/f1", "t/d1/f2", "f0", "f1"])
    }
}
