import Foundation
import OSSClient
import TestSupport

/// The server side of a mount test: a real `ossfuse-server` (`TestSupport.ServerProcess`) with one
/// bucket, plus an SDK-side client and request statistics.
final class TestServer: @unchecked Sendable {
    // @unchecked: used by one test at a time.
    let process: ServerProcess
    let bucket = "test"

    private init(process: ServerProcess) { self.process = process }

    /// Starts a fresh server; `faultRate` > 0 makes it answer that share of requests with faults.
    static func start(faultRate: Double = 0, arguments: [String] = []) throws -> TestServer {
        let faults = faultRate > 0 ? ["--fault-rate", String(faultRate)] : []
        return TestServer(process: try ServerProcess(buckets: ["test"], arguments: faults + arguments))
    }

    var endpoint: URL { process.endpoint }
    var accessKeyId: String { process.accessKeyId }
    var accessKeySecret: String { process.accessKeySecret }

    /// A client on the test bucket (what an SDK user would do).
    func client() throws -> OSSClient {
        try OSSClient(configuration: ClientConfiguration(
            endpoint: endpoint, bucket: bucket,
            credentials: Credentials(accessKeyId: accessKeyId, accessKeySecret: accessKeySecret)))
    }

    /// Request counts per OSS operation.
    func stats() throws -> [String: Int] { try process.stats() }

    func stop() { process.stop() }

    func restart() throws { try process.restart() }

    /// Sum of all counters.
    static func total(_ stats: [String: Int]) -> Int { stats.values.reduce(0, +) }

    /// Non-zero differences `after - before`, for failure messages.
    static func difference(_ after: [String: Int], _ before: [String: Int]) -> [String: Int] {
        after.compactMapValues { $0 }.reduce(into: [:]) { result, pair in
            let delta = pair.value - before[pair.key, default: 0]
            if delta != 0 { result[pair.key] = delta }
        }
    }

    /// A TCP port nothing listens on (bound once, then released).
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw MountError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
