import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OSSProtocol
import TestSupport
import XCTest

/// Fault injection, latency, crashes and the consistency check.
final class ServerRobustnessTests: XCTestCase {
    func testFaultRateOneAnswersEveryRequestWith503OrDroppedConnectionButStatsStillWork() async throws {
        let server = try ServerProcess(arguments: ["--fault-rate", "1"])
        let client = RawOSSClient(server: server)
        var unavailable = 0
        var dropped = 0
        for _ in 0..<40 {
            do {
                let response = try await client.send("GET", key: "anything")
                XCTAssertEqual(response.status, 503)
                XCTAssertEqual(response.errorCode, "ServiceUnavailable")
                unavailable += 1
            } catch {
                dropped += 1
            }
        }
        XCTAssertGreaterThan(unavailable, 0, "some requests answered 503")
        XCTAssertGreaterThan(dropped, 0, "some connections dropped")
        // Faulted requests are counted (URLSession may resend after a drop); /_ossfuse never faults.
        let stats = try server.stats()
        XCTAssertGreaterThanOrEqual(stats["GetObject"] ?? 0, 40)
        XCTAssertEqual(stats["FaultsInjected"], stats["GetObject"], "every request was faulted")
        XCTAssertEqual((stats["FaultsServiceUnavailable"] ?? 0) + (stats["FaultsDropped"] ?? 0), stats["FaultsInjected"])
    }

    func testFaultsNeverApplyHalfAnOperation() async throws {
        let server = try ServerProcess(arguments: ["--fault-rate", "0.5"])
        var client = RawOSSClient(server: server)
        client.timeout = 5
        var acknowledged: [String] = []
        for i in 0..<12 {
            let body = Data(repeating: UInt8(i), count: 4096)
            if let response = try? await client.send("PUT", key: "f\(i)", body: body), response.status == 200 {
                acknowledged.append("f\(i)")
            }
        }
        server.stop()
        let clean = try ServerProcess(root: server.root)
        let reader = RawOSSClient(server: clean)
        for key in acknowledged {
            let response = try await reader.send("GET", key: key)
            XCTAssertEqual(response.status, 200, "acknowledged \(key) is stored")
            XCTAssertEqual(response.body.count, 4096)
        }
    }

    func testLatencyDelaysEveryAnswerAtLeastThatLong() async throws {
        let server = try ServerProcess(arguments: ["--latency", "300"])
        let client = RawOSSClient(server: server)
        let start = Date()
        let response = try await client.send("GET", key: "missing")
        XCTAssertEqual(response.status, 404)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3)
    }

    func testKillDuringUploadLeavesNoPartialObjectAndAConsistentStore() async throws {
        let server = try ServerProcess()
        let client = RawOSSClient(server: server)
        let big = Data(repeating: 0x5A, count: 64 << 20)
        let upload = Task { try? await client.send("PUT", key: "big", body: big) }
        try await Task.sleep(nanoseconds: 150_000_000)
        server.kill()
        _ = await upload.value
        try server.restart()
        let response = try await client.send("GET", key: "big")
        if response.status == 200 {
            XCTAssertEqual(response.body, big, "an acknowledged object is whole")
        } else {
            XCTAssertEqual(response.errorCode, "NoSuchKey", "an unacknowledged object is absent, never partial")
        }
        server.stop()
        XCTAssertEqual(try Self.check(root: server.root), 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.root.appendingPathComponent("tmp").path)
        XCTAssertEqual(leftovers, [], "restart removed the interrupted temp file")
    }

    func testCheckReportsAMissingDataFile() async throws {
        let server = try ServerProcess()
        let client = RawOSSClient(server: server)
        _ = try await client.send("PUT", key: "victim", body: Data("payload".utf8))
        server.stop()
        let data = server.root.appendingPathComponent("data")
        for sub in try FileManager.default.contentsOfDirectory(atPath: data.path) {
            for file in try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent(sub).path) {
                try FileManager.default.removeItem(at: data.appendingPathComponent(sub).appendingPathComponent(file))
            }
        }
        XCTAssertEqual(try Self.check(root: server.root), 1)
    }

    /// A server whose starter goes away (here: closes the server's standard input, as its death
    /// would) ends by itself, keeps what it acknowledged, and never held the starter's stderr: a
    /// server outliving `swift test` would otherwise keep it (and CI) waiting for ever.
    func testAServerEndsWithItsStarterAndKeepsWhatItAcknowledged() async throws {
        let server = try ServerProcess()
        let client = RawOSSClient(server: server)
        let put = try await client.send("PUT", key: "kept", body: Data("acknowledged".utf8))
        XCTAssertEqual(put.status, 200)
        let pid = try XCTUnwrap(server.processIdentifier)
        let serverStderr = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/2")
        let ownStderr = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/2")
        XCTAssertNotEqual(serverStderr, ownStderr, "the server's stderr comes back through a pipe of ours")

        server.closeLifeline()
        // Bounded only so that a regression fails instead of hanging; the assertion is that it ends.
        for _ in 0..<600 where server.isRunning { try await Task.sleep(nanoseconds: 50_000_000) }
        XCTAssertFalse(server.isRunning, "the server ended at end of file on its standard input")
        XCTAssertEqual(try Self.check(root: server.root), 0, "index and data files agree after the abrupt end")
        let again = try ServerProcess(root: server.root)
        let get = try await RawOSSClient(server: again).send("GET", key: "kept")
        XCTAssertEqual(get.status, 200)
        XCTAssertEqual(get.body, Data("acknowledged".utf8))
    }

    func testStatsHaveEveryOperationNameWithZeroCounts() throws {
        let server = try ServerProcess()
        let stats = try server.stats()
        for name in ["PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteMultipleObjects", "CopyObject",
                     "AppendObject", "ListObjects", "ListObjectsV2", "PutSymlink", "GetSymlink", "InitiateMultipartUpload",
                     "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts", "PutObjectACL",
                     "GetObjectACL", "GetBucketInfo", "GetBucketLocation", "PutBucket", "DeleteBucket", "ListBuckets",
                     "GetObjectMeta"] {
            XCTAssertEqual(stats[name], 0, name)
        }
    }

    /// Runs `ossfuse-server --check` on `root`; returns its exit status.
    static func check(root: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = ServerProcess.binaryDirectory().appendingPathComponent("ossfuse-server")
        process.arguments = ["--root", root.path, "--check"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
