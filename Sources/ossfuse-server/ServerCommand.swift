import ArgumentParser
import Foundation
import OSSServer

/// `ossfuse-server`: a local OSS-compatible server for tests and benchmarks.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ossfuse-server",
        abstract: "A local Alibaba Cloud OSS-compatible server (objects, symlinks, multipart, ACLs, V1/V4 signatures).")

    @Option(help: "Directory holding the SQLite index and the object data files (created if missing).")
    var root: String

    @Option(help: "Address to listen on as HOST:PORT; port 0 picks a free port.")
    var listen: String = "127.0.0.1:0"

    @Option(name: .customLong("access-key-id"), help: "Access key id requests must be signed with (default: $OSS_ACCESS_KEY_ID).")
    var accessKeyId: String?

    @Option(name: .customLong("access-key-secret"), help: "Access key secret (default: $OSS_ACCESS_KEY_SECRET).")
    var accessKeySecret: String?

    @Option(name: .customLong("bucket"), help: "Create this bucket if missing (repeatable).")
    var buckets: [String] = []

    @Option(name: .customLong("fault-rate"), help: "Fraction (0...1) of requests answered with 503 or a dropped connection.")
    var faultRate: Double = 0

    @Option(help: "Milliseconds added before every response.")
    var latency: Int = 0

    @Option(help: "Bytes per second all response bodies share, with an optional K, M or G suffix (0: no limit).")
    var bandwidth: String = "0"

    @Option(name: .customLong("sts-token"), help: "Accept this STS security token (x-oss-security-token / security-token).")
    var stsToken: String?

    @Option(help: "Region reported by GetBucketLocation and GetBucketInfo.")
    var region: String = "cn-hangzhou"

    @Option(name: .customLong("body-timeout"), help: "Seconds a request body may stall before 400 RequestTimeout.")
    var bodyTimeout: Int = 60

    @Option(name: .customLong("sts-credentials"),
            help: ArgumentHelp("Also accept the temporary credentials in FILE, lines id:secret:token:expiry-unix-seconds (re-read when it changes; expired: 403 SecurityTokenExpired).", valueName: "FILE"))
    var stsCredentials: String?

    @Option(name: .customLong("cname"),
            help: ArgumentHelp("Requests whose Host is HOST address BUCKET, the path being the key (repeatable).", valueName: "HOST=BUCKET"))
    var cnames: [String] = []

    @Flag(name: .customLong("public-endpoint-forbidden"),
          help: "Answer requests for a bucket not made through a --cname host with 400 PublicEndpointForbidden.")
    var publicEndpointForbidden = false

    @Flag(name: .customLong("check-region"),
          help: "Refuse V4 signatures whose scope names another region than --region (400 InvalidArgument).")
    var checkRegion = false

    @Flag(name: .customLong("refuse-appendable-copy"),
          help: "Refuse CopyObject of an appendable object onto its own key too (400 InvalidArgument), as the AppendObject page of OSS says.")
    var refuseAppendableCopy = false

    @Option(name: .customLong("partial-delete-faults"),
            help: ArgumentHelp("The first N DeleteMultipleObjects requests delete only the first half of their keys.", valueName: "N"))
    var partialDeleteFaults: Int = 0

    @Option(name: .customLong("qps-limit-storm"),
            help: ArgumentHelp("Answer every request 503 QpsLimitExceeded for SECONDS after start (also POST /_ossfuse/faults/qps-limit-storm?seconds=N).", valueName: "SECONDS"))
    var qpsLimitStorm: Double = 0

    @Option(name: .customLong("clock-skew"),
            help: ArgumentHelp("Run the server's clock SECONDS ahead of the host's (negative: behind), for Date and RequestTimeTooSkewed.", valueName: "SECONDS"))
    var clockSkew: Double = 0

    @Option(name: .customLong("restore-delay"),
            help: "Seconds a RestoreObject takes before an Archive, ColdArchive or DeepColdArchive object can be read.")
    var restoreDelay: Double = 60

    @Option(help: ArgumentHelp("At startup, put empty objects into the first --bucket in one transaction: comma-separated DIR/:N (N objects in DIR) or DIR/:DxN (D directories of N objects each), e.g. big/:500000,tree/:1000x500.", valueName: "SPEC"))
    var populate: String?

    @Flag(help: "Check that the index and the data files agree, print findings, exit non-zero if not.")
    var check = false

    @Flag(name: .customLong("exit-on-stdin-eof"),
          help: "Exit when standard input reaches end of file (a parent that dies takes the server with it).")
    var exitOnStdinEOF = false

    func validate() throws {
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1.") }
        guard latency >= 0 else { throw ValidationError("--latency must not be negative.") }
        guard Self.bytes(bandwidth) != nil else { throw ValidationError("--bandwidth must be a number of bytes per second like 100M.") }
        guard bodyTimeout > 0 else { throw ValidationError("--body-timeout must be positive.") }
        guard partialDeleteFaults >= 0, qpsLimitStorm >= 0 else {
            throw ValidationError("--partial-delete-faults and --qps-limit-storm must not be negative.")
        }
        guard parsedCNAMEs != nil else { throw ValidationError("--cname must be HOST=BUCKET, e.g. files.localhost=test.") }
        guard restoreDelay >= 0, restoreDelay.isFinite else { throw ValidationError("--restore-delay must not be negative.") }
        guard populate.map({ PopulateSpec($0) != nil }) ?? true else {
            throw ValidationError("--populate must be DIR/:N or DIR/:DxN, comma-separated, e.g. big/:500000,tree/:1000x500.")
        }
        guard populate == nil || !buckets.isEmpty else { throw ValidationError("--populate needs --bucket.") }
        guard check || parsedListen != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:0.") }
        guard check || credentials != nil else {
            throw ValidationError("Give --access-key-id and --access-key-secret (or OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET).")
        }
    }

    private var credentials: (id: String, secret: String)? {
        let env = ProcessInfo.processInfo.environment
        guard let id = accessKeyId ?? env["OSS_ACCESS_KEY_ID"], let secret = accessKeySecret ?? env["OSS_ACCESS_KEY_SECRET"],
              !id.isEmpty, !secret.isEmpty else { return nil }
        return (id, secret)
    }

    private var parsedCNAMEs: [String: String]? {
        var map: [String: String] = [:]
        for entry in cnames {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            map[parts[0].lowercased()] = parts[1]
        }
        return map
    }

    private var parsedListen: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        if check {
            let result = try OSSServer.checkConsistency(root: root)
            result.lines.forEach { print($0) }
            if !result.consistent { throw ExitCode(1) }
            return
        }
        guard let credentials, let address = parsedListen else { throw ExitCode.validationFailure }
        if exitOnStdinEOF { ParentWatch.exitOnStandardInputEOF() }
        var configuration = ServerConfiguration(
            root: root, host: address.host, port: address.port, accessKeyId: credentials.id,
            accessKeySecret: credentials.secret, securityToken: stsToken, buckets: buckets, faultRate: faultRate,
            latencyMilliseconds: latency, region: region, bodyTimeoutSeconds: bodyTimeout)
        configuration.bandwidthBytesPerSecond = Self.bytes(bandwidth) ?? 0
        configuration.strictness.stsCredentialsFile = stsCredentials
        configuration.strictness.cnames = parsedCNAMEs ?? [:]
        configuration.strictness.publicEndpointForbidden = publicEndpointForbidden
        configuration.strictness.checkRegion = checkRegion
        configuration.strictness.partialDeleteFaults = partialDeleteFaults
        configuration.strictness.refuseAppendableCopy = refuseAppendableCopy
        configuration.strictness.qpsLimitStormSeconds = qpsLimitStorm
        configuration.strictness.clockSkewSeconds = clockSkew
        configuration.restoreDelaySeconds = restoreDelay
        configuration.populate = populate.flatMap(PopulateSpec.init)
        try await OSSServer(configuration: configuration).run { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardOutput.write(Data("listening on http://\(shown):\(port)\n".utf8))
        }
    }

    /// `--bandwidth`'s value: bytes, with an optional K, M or G suffix (powers of 1024).
    static func bytes(_ text: String) -> Int? {
        var digits = text.uppercased()
        var shift = 0
        if let last = digits.last, let s = ["K": 10, "M": 20, "G": 30][String(last)] { shift = s; digits.removeLast() }
        guard let number = Int(digits), number >= 0 else { return nil }
        return number << shift
    }
}
