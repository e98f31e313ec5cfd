import FUSEBinding
import Foundation
import OSSFileSystem

/// Everything a mount needs, from the command line: the parsed `-o` options with their defaults.
struct MountSettings: Sendable, Equatable {
    static let defaultEndpoint = "https://oss-cn-hangzhou.aliyuncs.com"
    /// Seconds a termination signal waits for open files to upload (`stop_timeout`).
    static let defaultStopTimeout: Double = 30

    var bucket: String
    /// Key prefix of the mount root: "" or "dir/sub/".
    var prefix: String
    /// Mount point as given on the command line.
    var mountPoint: String
    var foreground = false
    var debug = false

    var endpoint = MountSettings.defaultEndpoint
    /// nil: the client derives it from an `oss-REGION.aliyuncs.com` endpoint; other hosts need it.
    var region: String?
    var signatureV1 = false
    var passwdFile: String?
    var attributeTimeout = MountConfiguration.defaults.attributeTimeout
    var negativeTimeout = MountConfiguration.defaults.negativeTimeout
    var allowOther = false
    var uid: UInt32 = getuid()
    var gid: UInt32 = getgid()
    var umask = MountConfiguration.defaults.umask
    var readOnly = false
    var noSymFollow = false
    var maxBackground = 64
    var parallelism = MountConfiguration.defaults.parallelism
    var logFile: String?
    var stagingDirectory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    var multipartThreshold = MountConfiguration.defaults.multipartThreshold
    var partSize = MountConfiguration.defaults.partSize
    var maxPrefetchBytes = MountConfiguration.defaults.maxPrefetchBytes
    /// `listing_only`: listed entries show default modes and owners, one HEAD less each (see
    /// `MountConfiguration.listingOnly`); `stat_listed`, the default, turns it off.
    var listingOnly = false
    /// `restore_on_open`: see `MountConfiguration.restoreOnOpen`.
    var restoreOnOpen = false
    /// `cache_dir=DIR`: the local data cache's directory; nil (the default): no data cache.
    var cacheDirectory: String?
    /// `cache_size=SIZE`: bound of the bytes the data cache holds; nil: only the free-space floor.
    var cacheSize: Int64?
    /// `cache_min_free=SIZE`: free space the data cache leaves on its file system; nil: 5% of it.
    var cacheMinFree: Int64?
    /// `direct_io`: every open bypasses the page cache, not only write-only ones.
    var directIOAlways = false
    /// `metrics=HOST:PORT`: where `/metrics` and `/health` are served; nil: nowhere.
    var metrics: MetricsAddress?
    /// `stop_timeout`: see `FUSESession.stopTimeout`.
    var stopTimeout = MountSettings.defaultStopTimeout
    /// Temporary credentials, addressing, HTTPS trust (`ConnectionSettings`).
    var connection = ConnectionSettings()

    /// Options that are each valid but refused together, in one sentence.
    func checkCombinations() throws(MountSettingsError) {
        if listingOnly && allowOther {
            throw MountSettingsError("listing_only cannot be used with allow_other: other users would see default modes, not the stored ones")
        }
        if noSymFollow && HandedInDevice.descriptor(mountPoint) != nil {
            throw MountSettingsError("nosymfollow cannot be applied to a handed-in \(mountPoint): the process that mounted it must pass MS_NOSYMFOLLOW")
        }
    }

    /// Splits `BUCKET[:/PREFIX]` into the bucket and a normalised key prefix.
    static func parseSource(_ source: String) throws(MountSettingsError) -> (bucket: String, prefix: String) {
        let parts = source.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts[0])
        guard !bucket.isEmpty else { throw MountSettingsError("missing bucket name in '\(source)'") }
        guard bucket.allSatisfy({ $0.isLowercase && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" }),
              (3...63).contains(bucket.count) else {
            throw MountSettingsError("'\(bucket)' is not a valid bucket name (3-63 characters: a-z, 0-9, -)")
        }
        var prefix = parts.count > 1 ? String(parts[1]) : ""
        let segments = prefix.split(separator: "/")
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw MountSettingsError("prefix '\(prefix)' must not contain '.' or '..'")
        }
        prefix = segments.joined(separator: "/")
        return (bucket, prefix.isEmpty ? "" : prefix + "/")
    }
}

/// A command-line mistake, in one sentence.
struct MountSettingsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
