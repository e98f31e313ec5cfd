import FUSEBinding
import Foundation
import Logging
import OSSClient
import OSSFileSystem
import OSSProtocol

/// Builds the real object store (`OSSClient`) and checks it against the bucket before mounting.
enum Backend {
    /// `quickCheck`: for the pre-mount check: an unreachable endpoint fails fast (no retry), dropped
    /// answers and 503/429 are retried up to 4 times.
    /// One debug line per request goes to `log` when it logs debug lines (`-d`).
    /// Every request attempt is counted in `metrics` when given.
    static func makeStore(_ settings: MountSettings, credentials: any CredentialsProvider, log: LogSink,
                          quickCheck: Bool = false, metrics: MountMetrics? = nil) throws(MountSettingsError) -> OSSClient {
        guard let endpoint = URL(string: settings.endpoint) else {
            throw MountSettingsError("url '\(settings.endpoint)' is not a valid URL")
        }
        var configuration = ClientConfiguration(
            endpoint: endpoint, bucket: settings.bucket,
            credentials: Credentials(accessKeyId: "", accessKeySecret: ""))
        configuration.credentialsProvider = credentials
        configuration.region = settings.region
        configuration.signatureVersion = settings.signatureV1 ? .v1 : .v4
        configuration.addressingStyle = settings.connection.addressing
        configuration.caFile = settings.connection.caFile
        if !settings.signatureV1 && configuration.effectiveRegion == nil {
            throw MountSettingsError("the endpoint \(endpoint.host ?? settings.endpoint) does not name its OSS region:"
                                     + " add -o region=REGION (the bucket's region, e.g. cn-hangzhou)")
        }
        // Throttling (429, 503, QpsLimitExceeded) is retried for about a minute, as ossfs 2.0 does.
        configuration.throttleRetrySeconds = quickCheck ? 0 : 60
        configuration.maxConnections = max(settings.parallelism, 4)
        // The mount itself: 6 retries (7 attempts, at most about 6 s of backoff), so that a flaky
        // endpoint (10% of requests failing) practically never fails an application call.
        configuration.maxRetries = 6
        if quickCheck {
            // Unreachable (refused, unknown host): fail at once. Dropped answers, 503, 429: a few retries
            // with the client's backoff, so a flaky but working endpoint still mounts.
            configuration.maxRetries = 4
            configuration.retriesUnreachable = false
        }
        let debug = log.logs(.debug)
        let requests = Logger(label: "ossfuse.oss")
        if debug || metrics != nil {
            configuration.onRequest = { record in
                metrics?.recordRequest(operation: record.operation, status: record.httpStatus,
                                       seconds: record.durationSeconds, attempt: record.attempt)
                if debug { requests.debug("\(RequestLogLine.format(record))") }
            }
        }
        do {
            return try OSSClient(configuration: configuration)
        } catch {
            throw MountSettingsError("cannot use endpoint \(settings.endpoint): \(error)")
        }
    }

    /// One real request (a one-key listing of the mount's prefix): proves endpoint, bucket and
    /// credentials. Failures become one sentence for the user.
    static func check(_ store: any ObjectStore, settings: MountSettings) async throws(MountSettingsError) {
        do {
            _ = try await store.listObjects(prefix: settings.prefix, delimiter: "/", continuationToken: nil, maxKeys: 1)
        } catch let error as OSSError {
            throw MountSettingsError(describe(error, settings: settings))
        } catch let error as TransportError {
            throw MountSettingsError(describe(error, settings: settings))
        } catch let error as CredentialsError {
            throw MountSettingsError("no credentials: \(error.description)")
        } catch {
            throw MountSettingsError("cannot check bucket \(settings.bucket) at \(settings.endpoint): \(error)")
        }
    }

    private static func describe(_ error: OSSError, settings: MountSettings) -> String {
        let bucket = settings.bucket, endpoint = settings.endpoint
        switch error.knownCode {
        case .noSuchBucket: return "bucket \(bucket) does not exist at \(endpoint)"
        case .invalidAccessKeyId: return "access key id is not known to \(endpoint) (InvalidAccessKeyId)"
        case .signatureDoesNotMatch:
            return "access key secret is wrong for \(endpoint) (SignatureDoesNotMatch)"
        case .accessDenied: return "access denied to bucket \(bucket) at \(endpoint) (AccessDenied)"
        case .invalidSecurityToken, .securityTokenExpired:
            return "the security token from \(CredentialsSetup.sourceName(settings)) was refused: \(error.code)"
        case .publicEndpointForbidden:
            return "\(endpoint) refuses this bucket's data (PublicEndpointForbidden): accounts created since 2025-03-20"
                + " must use a custom domain bound to the bucket (-o url=https://DOMAIN,addressing=cname,region=REGION)"
                + " or an -internal endpoint from inside Alibaba Cloud"
        case .invalidArgument where error.message.lowercased().contains("signing region"):
            return "the V4 region \(settings.region ?? "derived from the url") is not bucket \(bucket)'s region at"
                + " \(endpoint) (\(error.message)): set -o region=REGION to the bucket's region"
        default: return "bucket \(bucket) at \(endpoint): \(error.code) (HTTP \(error.httpStatus)): \(error.message)"
        }
    }

    private static func describe(_ error: TransportError, settings: MountSettings) -> String {
        let text = error.message
        if text.contains("SSL") || text.contains("certificate") {
            return "cannot reach \(settings.endpoint) over HTTPS: its certificate is not trusted or not valid for the host"
                + " (\(text)); for a private CA add -o cafile=FILE"
        }
        return "cannot reach \(settings.endpoint): \(text)"
    }

    static func mountConfiguration(_ settings: MountSettings, mountPoint: String) -> MountConfiguration {
        var configuration = MountConfiguration(
            prefix: settings.prefix, attributeTimeout: settings.attributeTimeout,
            negativeTimeout: settings.negativeTimeout, uid: settings.uid, gid: settings.gid, umask: settings.umask,
            readOnly: settings.readOnly, parallelism: settings.parallelism,
            multipartThreshold: settings.multipartThreshold, partSize: settings.partSize,
            maxPrefetchBytes: settings.maxPrefetchBytes, stagingDirectory: settings.stagingDirectory,
            mountPoint: mountPoint)
        configuration.listingOnly = settings.listingOnly
        configuration.restoreOnOpen = settings.restoreOnOpen
        if let directory = settings.cacheDirectory {
            let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
            configuration.dataCache = DataCacheConfiguration(directory: absolute, maxBytes: settings.cacheSize,
                                                             minFreeBytes: settings.cacheMinFree,
                                                             namespace: settings.endpoint + "/" + settings.bucket)
        }
        return configuration
    }
}

/// One debug line per OSS request: operation, key, status, request id, duration. Never headers
/// or credentials.
enum RequestLogLine {
    static func format(_ record: RequestLogRecord) -> String {
        var line = "\(record.operation) key=\"\(record.key)\" status=\(record.httpStatus)"
        line += " request-id=\(record.requestId.isEmpty ? "-" : record.requestId)"
        line += String(format: " %.1fms", record.durationSeconds * 1000)
        if record.attempt > 1 { line += " attempt=\(record.attempt)" }
        if let error = record.error { line += " error=\"\(error)\"" }
        return line
    }
}
