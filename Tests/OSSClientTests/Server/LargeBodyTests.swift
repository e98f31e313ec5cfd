import Foundation
@testable import OSSClient
import Synchronization
import XCTest

/// Large GET bodies go through `ResponseBufferPool` (written straight into a recycled buffer); the
/// bytes must be exactly the object's, whether the buffer is fresh or reused, sliced or not.
final class LargeBodyTests: ServerTestCase {
    func testLargeRangedReadsThroughRecycledBuffersReturnExactBytes() async throws {
        let c = try client()
        let data = Self.bytes(5 << 20 + 123)
        try await c.putObject("big", body: .bytes(data), options: WriteOptions())
        // Same-sized ranges in a row reuse buffers; each answer must hold its own bytes.
        var held: [(Range<Int64>, Data)] = []
        for start in stride(from: Int64(0), to: Int64(data.count), by: 1 << 20) {
            let range = start..<min(Int64(data.count), start + (1 << 20))
            held.append((range, try await c.getObject("big", range: range)))
        }
        for (range, got) in held {
            XCTAssertEqual(got, data.subdata(in: Int(range.lowerBound)..<Int(range.upperBound)), "range \(range)")
        }
        held.removeAll()
        for _ in 0..<3 {
            let got = try await c.getObject("big", range: 1000..<(3 << 20))
            XCTAssertEqual(got.count, (3 << 20) - 1000)
            XCTAssertEqual(got, data.subdata(in: 1000..<(3 << 20)))
            XCTAssertEqual(got[got.startIndex + 5..<got.startIndex + 9], data.subdata(in: 1005..<1009))
        }
        let whole = try await c.getObject("big", range: nil)
        XCTAssertEqual(whole, data)
        // Past the end: the answer is shorter than the requested range.
        let tail = try await c.getObject("big", range: Int64(data.count - 10)..<Int64(data.count + (2 << 20)))
        XCTAssertEqual(tail, data.subdata(in: (data.count - 10)..<data.count))
    }

    /// A ranged GET tells its progress of the body while it arrives: ever longer prefixes of exactly
    /// the range's bytes, the last one the whole answer; a whole-object GET tells it once, at the end.
    func testRangedReadTellsItsProgressWhileTheBodyArrives() async throws {
        let c = try client()
        let data = Self.bytes(6 << 20)
        try await c.putObject("big", body: .bytes(data), options: WriteOptions())
        let range: Range<Int64> = 1000..<(4 << 20)
        let expected = data.subdata(in: Int(range.lowerBound)..<Int(range.upperBound))
        let progress = RecordingProgress()
        let got = try await c.getObject("big", range: range, ifMatch: nil, progress: progress)
        XCTAssertEqual(got, expected)
        let told = progress.prefixes
        XCTAssertGreaterThan(told.count, 2, "4 MiB arrive in more than one piece and are told piece by piece")
        XCTAssertEqual(told.last, expected)
        for (earlier, later) in zip(told, told.dropFirst()) {
            XCTAssertLessThanOrEqual(earlier.count, later.count)
        }
        for prefix in told {
            XCTAssertEqual(prefix, expected.prefix(prefix.count), "a prefix of \(prefix.count) bytes holds the range's first bytes")
        }

        let whole = RecordingProgress()
        let wholeData = try await c.getObject("big", range: nil, ifMatch: nil, progress: whole)
        XCTAssertEqual(wholeData, data)
        XCTAssertEqual(whole.prefixes, [data], "a whole object is told once, after its CRC-64 is checked")
    }

    /// If-Match pins a GET to one version: the ETag as HeadObject gives it (quoted) or bare both
    /// match; once the object is replaced, the same GET is 412 PreconditionFailed and tells nothing.
    func testIfMatchReadsOnlyTheVersionNamed() async throws {
        let c = try client()
        let first = Self.bytes(1 << 20)
        try await c.putObject("v", body: .bytes(first), options: WriteOptions())
        let etag = try await c.headObject("v").etag
        let range: Range<Int64> = 100..<(600 << 10)
        let expected = first.subdata(in: 100..<(600 << 10))
        for form in [etag, etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))] {
            let got = try await c.getObject("v", range: range, ifMatch: form, progress: nil)
            XCTAssertEqual(got, expected, "If-Match \(form)")
        }
        try await c.putObject("v", body: .bytes(Data(first.reversed())), options: WriteOptions())
        let progress = RecordingProgress()
        do {
            _ = try await c.getObject("v", range: range, ifMatch: etag, progress: progress)
            XCTFail("a replaced object must not be read under the old ETag")
        } catch let error as OSSError {
            XCTAssertEqual(error.httpStatus, 412)
            XCTAssertEqual(error.code, "PreconditionFailed")
        }
        XCTAssertEqual(progress.prefixes, [], "nothing of the refused answer is told")
    }
}

/// Keeps every prefix it is told of.
final class RecordingProgress: BodyProgress {
    private let told = Mutex<[Data]>([])
    var prefixes: [Data] { told.withLock { $0 } }
    func received(_ prefix: Data) { told.withLock { $0.append(prefix) } }
}

/// The pool on its own: reuse, bounds on idle memory, and `Data` giving its buffer back.
final class ResponseBufferPoolTests: XCTestCase {
    func testSizeClasses() {
        XCTAssertNil(ResponseBufferPool.sizeClass(for: 1000))
        XCTAssertEqual(ResponseBufferPool.sizeClass(for: 256 << 10), 256 << 10)
        XCTAssertEqual(ResponseBufferPool.sizeClass(for: (1 << 20) + 1), 2 << 20)
        XCTAssertEqual(ResponseBufferPool.sizeClass(for: 8 << 20), 8 << 20)
        XCTAssertNil(ResponseBufferPool.sizeClass(for: (16 << 20) + 1))
    }

    func testBuffersAreReusedAndIdleMemoryIsBounded() {
        let pool = ResponseBufferPool(maxRetainedBytes: 4 << 20, idleRetainedBytes: 1 << 20, idleGrace: .zero)
        let a = pool.take(capacity: 1 << 20)
        pool.give(a, capacity: 1 << 20)
        XCTAssertEqual(pool.idleBytes, 1 << 20)
        let b = pool.take(capacity: 1 << 20)
        XCTAssertEqual(a, b, "an idle buffer of the same class is reused")
        // While one buffer is lent out, up to maxRetainedBytes stay idle.
        let more = (0..<5).map { _ in pool.take(capacity: 1 << 20) }
        XCTAssertEqual(pool.lentBytes, 6 << 20)
        for p in more { pool.give(p, capacity: 1 << 20) }
        XCTAssertEqual(pool.idleBytes, 4 << 20)
        // Once nothing is lent out, only idleRetainedBytes stay.
        pool.give(b, capacity: 1 << 20)
        XCTAssertEqual(pool.lentBytes, 0)
        XCTAssertEqual(pool.idleBytes, 1 << 20)
    }

    /// The next file's reads find the previous file's buffers: the pool shrinks to its idle bound
    /// only after staying idle for the grace period, and a take in between keeps everything.
    func testIdleBuffersOutliveAGapBetweenReads() throws {
        let pool = ResponseBufferPool(maxRetainedBytes: 4 << 20, idleRetainedBytes: 1 << 20, idleGrace: .seconds(2))
        var lent = (0..<4).map { _ in pool.take(capacity: 1 << 20) }
        for p in lent { pool.give(p, capacity: 1 << 20) }
        XCTAssertEqual(pool.idleBytes, 4 << 20, "kept for the grace period")
        lent = (0..<4).map { _ in pool.take(capacity: 1 << 20) }
        XCTAssertEqual(pool.idleBytes, 0, "all four reused, none allocated")
        for p in lent { pool.give(p, capacity: 1 << 20) }
        // Bounded wait for the deferred trim (no assertion on how long it takes).
        let deadline = Date().addingTimeInterval(30)
        while pool.idleBytes > 1 << 20 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(pool.idleBytes, 1 << 20, "shrunk to the idle bound once idle for the grace period")
        XCTAssertEqual(pool.lentBytes, 0)
    }

    func testDataGivesItsBufferBackWhenReleased() {
        let pool = ResponseBufferPool(maxRetainedBytes: 8 << 20, idleRetainedBytes: 8 << 20)
        var buffer: PooledBuffer? = PooledBuffer(capacity: 2 << 20, pool: pool)
        buffer!.base.storeBytes(of: 0xAB, toByteOffset: 7, as: UInt8.self)
        var data: Data? = buffer!.data(count: 1 << 20)
        // A shorter prefix made earlier, as a body's progress hands them out while it arrives.
        var prefix: Data? = buffer!.data(count: 4096)
        var slice: Data? = data![1000..<300_000]
        buffer = nil
        XCTAssertEqual(data![7], 0xAB)
        XCTAssertEqual(pool.lentBytes, 2 << 20)
        data = nil
        XCTAssertEqual(pool.lentBytes, 2 << 20, "a slice still holds the buffer")
        XCTAssertEqual(slice!.count, 299_000)
        slice = nil
        XCTAssertEqual(pool.lentBytes, 2 << 20, "so does an earlier prefix")
        XCTAssertEqual(prefix![7], 0xAB)
        prefix = nil
        XCTAssertEqual(pool.lentBytes, 0)
        XCTAssertEqual(pool.idleBytes, 2 << 20)
    }
}
