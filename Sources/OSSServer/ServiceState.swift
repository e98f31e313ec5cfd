import Foundation
import NIOPosix

/// What every handler shares: configuration, storage, counters, the I/O thread pool.
final class ServiceState: Sendable {
    let configuration: ServerConfiguration
    let storage: StorageEngine
    let stats: RequestStats
    let faults: FaultInjector
    let strictFaults: StrictFaults
    let authenticator: Authenticator
    let threadPool: NIOThreadPool
    let bandwidth: BandwidthLimit?

    init(configuration: ServerConfiguration, storage: StorageEngine, threadPool: NIOThreadPool) {
        self.configuration = configuration
        self.storage = storage
        self.threadPool = threadPool
        stats = RequestStats()
        bandwidth = configuration.bandwidthBytesPerSecond > 0 ? BandwidthLimit(bytesPerSecond: configuration.bandwidthBytesPerSecond) : nil
        faults = FaultInjector(rate: configuration.faultRate)
        strictFaults = StrictFaults(configuration.strictness)
        let strict = configuration.strictness
        var authenticator = Authenticator(accessKeyId: configuration.accessKeyId, accessKeySecret: configuration.accessKeySecret,
                                          securityToken: configuration.securityToken, enforceTime: configuration.enforceTime)
        authenticator.stsCredentials = strict.stsCredentialsFile.map(STSCredentialFile.init(path:))
        authenticator.requiredRegion = strict.checkRegion ? configuration.region : nil
        authenticator.clockSkew = strict.clockSkewSeconds
        self.authenticator = authenticator
    }

    /// This server's clock: the host's, moved by `--clock-skew`.
    func now() -> Date { Date().addingTimeInterval(configuration.strictness.clockSkewSeconds) }

    /// Runs blocking file or database work on the thread pool, off the event loop.
    func io<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threadPool.runIfActive(body)
    }

    /// The bucket, or NoSuchBucket.
    func bucket(_ name: String?) throws -> BucketRecord {
        guard let name, let bucket = storage.bucket(name) else { throw ServerError.noSuchBucket(name ?? "") }
        return bucket
    }

    /// The addressed bucket and the record at the request's key itself (a link is not followed),
    /// checked readable: NoSuchBucket, NoSuchKey (only to whoever may read the bucket), AccessDenied.
    func readableRecord(_ request: RequestContext) async throws -> (bucket: BucketRecord, record: ObjectRecord) {
        let bucket = try bucket(request.bucket)
        let key = request.key ?? ""
        let storage = self.storage
        guard let record = try await io({ try storage.object(bucket: bucket.name, key: key) }) else {
            try AccessPolicy.requireRead(request, bucket: bucket, objectACL: nil)
            throw ServerError.noSuchKey(key)
        }
        try AccessPolicy.requireRead(request, bucket: bucket, objectACL: record.acl)
        return (bucket, record)
    }

    /// The record at `key` in `bucket` (nil when absent), after checking the request may write there
    /// (the object's own ACL counts when it exists): AccessDenied otherwise.
    func writableRecord(_ request: RequestContext, bucket: BucketRecord, key: String) async throws -> ObjectRecord? {
        let storage = self.storage
        let existing = try await io { try storage.object(bucket: bucket.name, key: key) }
        try AccessPolicy.requireWrite(request, bucket: bucket, objectACL: existing?.acl)
        return existing
    }
}
