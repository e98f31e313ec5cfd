import Foundation
import TestSupport
import XCTest

/// `-o metrics=HOST:PORT`: Prometheus counters that follow a real workload, and a health endpoint
/// that follows the OSS endpoint's reachability.
final class MetricsMountTests: MountTestCase {
    /// `curl` of `path` on the metrics listener: status code and body.
    private func get(_ port: Int, _ path: String) throws -> (status: Int, body: String) {
        let result = try MountCommand.run("/usr/bin/curl", ["-s", "-m", "30", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"],
                                          timeout: 60)
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// The value of the sample `name{labels}` (exact label text), 0 when absent.
    private func sample(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? 0
        }
        return 0
    }

    func testCountersFollowACopyAndHealthFollowsTheServer() throws {
        let port = try TestServer.unusedPort()
        let m = try mount(options: ["metrics=127.0.0.1:\(port)"])
        let before = try get(port, "/metrics")
        XCTAssertEqual(before.status, 200, before.body)

        // A tree of 30 files of 10 KiB in 3 directories, a link, copied with cp -a.
        try local("mkdir -p tree/a tree/b tree/c && for d in a b c; do for i in $(seq 1 10); do head -c 10240 /dev/urandom > tree/$d/f$i; done; done && ln -s a/f1 tree/link")
        let copy = try MountCommand.start("/bin/bash", ["-c", "cp -a \(q(scratch + "/tree")) \(q(m.mountPoint + "/tree"))"])
        let during = try get(port, "/metrics")
        XCTAssertEqual(during.status, 200, "the listener must answer while the mount is busy: \(during.body)")
        XCTAssertTrue(eventually(timeout: 120) { !copy.process.isRunning })
        let copied = copy.result()
        XCTAssertEqual(copied.status, 0, copied.description)
        try sh(m, "mkdir full && touch full/x && ! rmdir full 2>/dev/null")

        let after = try get(port, "/metrics").body
        let created = sample(after, #"ossfuse_fuse_operations_total{operation="create"}"#)
            - sample(before.body, #"ossfuse_fuse_operations_total{operation="create"}"#)
        XCTAssertGreaterThanOrEqual(created, 31, after)
        XCTAssertGreaterThanOrEqual(sample(after, #"ossfuse_fuse_operations_total{operation="mkdir"}"#), 4, after)
        XCTAssertGreaterThanOrEqual(sample(after, #"ossfuse_fuse_operations_total{operation="symlink"}"#), 1, after)
        XCTAssertGreaterThanOrEqual(sample(after, "ossfuse_written_bytes_total"), 30 * 10240, after)
        XCTAssertGreaterThanOrEqual(sample(after, #"ossfuse_oss_requests_total{operation="PutObject",status="200"}"#), 31, after)
        XCTAssertGreaterThanOrEqual(sample(after, #"ossfuse_oss_requests_total{operation="PutSymlink",status="200"}"#), 1, after)
        XCTAssertGreaterThanOrEqual(sample(after, #"ossfuse_fuse_errors_total{errno="ENOTEMPTY"}"#), 1, after)
        XCTAssertGreaterThanOrEqual(sample(after, #"ossfuse_fuse_operation_duration_seconds_count{operation="write"}"#), 30, after)
        XCTAssertTrue(after.contains(#"ossfuse_oss_request_duration_seconds_bucket{operation="PutObject",le="+Inf"}"#), after)

        try sh(m, "cat tree/a/* > /dev/null")
        let read = try get(port, "/metrics").body
        XCTAssertGreaterThanOrEqual(sample(read, "ossfuse_read_bytes_total"), 10 * 10240, read)

        XCTAssertEqual(try get(port, "/health").status, 200)
        server.stop()
        XCTAssertTrue(eventually(timeout: 60) { (try? get(port, "/health").status) == 503 }, "health stayed good with the server stopped")
        let down = try get(port, "/health")
        XCTAssertTrue(down.body.hasPrefix("unhealthy: "), down.body)
        try server.restart()
        XCTAssertTrue(eventually(timeout: 60) { (try? get(port, "/health").status) == 200 }, "health did not come back with the server")
        XCTAssertEqual(try get(port, "/nothing").status, 404)
    }

    /// Opens `path` for writing, writes `size` bytes, prints "ready", closes it (printing "closed")
    /// once the file `sentinel` exists.
    private static let holder = """
        import os, sys, time
        path, size, sentinel = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        f = open(path, "wb", buffering=0)
        f.write(b"x" * size)
        print("ready", flush=True)
        while not os.path.exists(sentinel):
            time.sleep(0.05)
        f.close()
        print("closed", flush=True)
        """

    func testCacheStagingAndUploadFiguresFollowTheWorkload() throws {
        let port = try TestServer.unusedPort()
        let m = try mount(options: ["metrics=127.0.0.1:\(port)"])
        try local("mkdir -p tree/a tree/b && for d in a b; do for i in $(seq 1 5); do head -c 4096 /dev/urandom > tree/$d/f$i; done; done")
        try sh(m, "cp -a \(q(scratch + "/tree")) tree && ls -l tree/a tree/b > /dev/null && ls -l tree/a > /dev/null && stat tree/a/f1 tree/a/f1 > /dev/null")
        let cached = try get(port, "/metrics").body
        XCTAssertGreaterThanOrEqual(sample(cached, #"ossfuse_cache_hits_total{cache="attribute"}"#), 1, cached)
        XCTAssertGreaterThanOrEqual(sample(cached, #"ossfuse_cache_misses_total{cache="attribute"}"#), 1, cached)
        XCTAssertGreaterThanOrEqual(sample(cached, #"ossfuse_cache_entries{cache="attribute"}"#), 1, cached)
        XCTAssertGreaterThanOrEqual(sample(cached, #"ossfuse_cache_hits_total{cache="listing"}"#)
                                    + sample(cached, #"ossfuse_cache_misses_total{cache="listing"}"#), 1, cached)
        XCTAssertTrue(cached.contains("# TYPE ossfuse_staged_bytes gauge"), cached)
        XCTAssertEqual(sample(cached, "ossfuse_staged_bytes"), 0, "nothing is open: \(cached)")
        XCTAssertEqual(sample(cached, "ossfuse_uploads_in_flight"), 0, cached)

        // A file open for writing holds its bytes in staging, and counts as dirty, until closed.
        let sentinel = scratch + "/close-now"
        let writer = try HelperProcess("/usr/bin/python3", ["-c", Self.holder, m.mountPoint + "/open.bin", "300000", sentinel]) {
            $0.contains("ready")
        }
        defer { writer.stop() }
        let open = try get(port, "/metrics").body
        XCTAssertEqual(sample(open, "ossfuse_staged_bytes"), 300_000, open)
        XCTAssertEqual(sample(open, "ossfuse_dirty_files"), 1, open)
        XCTAssertEqual(sample(open, "ossfuse_uploads_in_flight"), 0, "nothing uploads before close: \(open)")

        // With every request refused, the upload of close() stays in flight until the storm ends.
        try server.process.startQpsLimitStorm(seconds: 600)
        XCTAssertTrue(FileManager.default.createFile(atPath: sentinel, contents: nil), "cannot create \(sentinel)")
        XCTAssertTrue(eventually(timeout: 60) { sample((try? get(port, "/metrics").body) ?? "", "ossfuse_uploads_in_flight") == 1 },
                      "the upload at close was never seen in flight")
        try server.process.startQpsLimitStorm(seconds: 0)
        XCTAssertTrue(eventually(timeout: 120) { writer.started.stdoutText.contains("closed") }, writer.started.result().description)
        let done = try get(port, "/metrics").body
        XCTAssertEqual(sample(done, "ossfuse_uploads_in_flight"), 0, done)
        XCTAssertEqual(sample(done, "ossfuse_staged_bytes"), 0, done)
        XCTAssertEqual(sample(done, "ossfuse_dirty_files"), 0, done)
        let client = try server.client()
        let stored = try runBlocking { try await client.getObject("open.bin", range: nil) }
        XCTAssertEqual(stored.count, 300_000)
    }

    func testABadOrTakenMetricsAddressFailsTheMountWithOneLine() throws {
        let environment = ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret]
        let mountPoint = scratch + "/mnt"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let malformed = try MountCommand.run(MountCommand.ossfuseBinary.path,
                                             ["-f", server.bucket, mountPoint, "-o", "url=\(server.endpoint.absoluteString),metrics=9100"],
                                             environment: environment, timeout: 60)
        XCTAssertNotEqual(malformed.status, 0, malformed.description)
        XCTAssertTrue(malformed.stderr.contains("metrics must be HOST:PORT"), malformed.stderr)

        // The server's own port is taken.
        let taken = "127.0.0.1:\(server.endpoint.port!)"
        let result = try MountCommand.run(MountCommand.ossfuseBinary.path,
                                          ["-f", server.bucket, mountPoint, "-o", "url=\(server.endpoint.absoluteString),metrics=\(taken)"],
                                          environment: environment, timeout: 60)
        XCTAssertEqual(result.status, 1, result.description)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot listen on \(taken)"), result.stderr)
        XCTAssertFalse(MountTable.isFuseMount(mountPoint))
    }
}
