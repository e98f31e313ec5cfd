import Foundation
import OSSFileSystem
import Synchronization

/// A mount's counters and latency histograms, rendered in the Prometheus text format
/// (version 0.0.4) for `-o metrics=HOST:PORT`. The binding records every FUSE request as it is
/// answered; the CLI records every OSS request attempt. Thread-safe; one lock, held briefly.
public final class MountMetrics: Sendable {
    /// Upper bounds (seconds) of the latency histograms' buckets.
    static let bounds: [Double] = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]

    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: MountMetrics.bounds.count)
        var sum = 0.0
        var count: UInt64 = 0

        mutating func observe(_ seconds: Double) {
            if let index = MountMetrics.bounds.firstIndex(where: { seconds <= $0 }) { counts[index] += 1 }
            sum += seconds
            count += 1
        }
    }

    /// A metric family: one sample per label set (`operation="lookup"`), kept in label order.
    private struct Family {
        var help: String
        var counters: [String: UInt64] = [:]
        var histograms: [String: Histogram] = [:]
    }

    private let families = Mutex([String: Family]())
    private let fileSystemStatistics = Mutex<(@Sendable () -> MountStatistics)?>(nil)

    private let fixedGauges = Mutex([String: (help: String, value: Double)]())

    /// A value set once (e.g. the memory budget), exported as a gauge named `name`.
    public func setGauge(_ name: String, help: String, value: Double) {
        fixedGauges.withLock { $0[name] = (help, value) }
    }

    /// Where the cache, staging and upload figures come from (read at each scrape).
    public func observe(_ statistics: @escaping @Sendable () -> MountStatistics) {
        fileSystemStatistics.withLock { $0 = statistics }
    }

    /// An empty registry.
    public init() {}

    /// One FUSE request answered: `errno` 0 for success.
    func recordOperation(_ operation: String, errno: Int32, seconds: Double) {
        let labels = #"operation="\#(operation)""#
        families.withLock { f in
            f[Name.fuseOperations, default: Family(help: "FUSE requests answered, by operation")].counters[labels, default: 0] += 1
            f[Name.fuseLatency, default: Family(help: "Time from a FUSE request to its answer, by operation")]
                .histograms[labels, default: Histogram()].observe(seconds)
            if errno != 0 {
                f[Name.fuseErrors, default: Family(help: "FUSE requests answered with an error, by errno")]
                    .counters[#"errno="\#(Self.errnoName(errno))""#, default: 0] += 1
            }
        }
    }

    /// Bytes returned by reads or accepted by writes through the mount.
    func recordBytes(read: Int = 0, written: Int = 0) {
        families.withLock { f in
            if read > 0 { f[Name.bytesRead, default: Family(help: "Bytes read through the mount")].counters["", default: 0] += UInt64(read) }
            if written > 0 {
                f[Name.bytesWritten, default: Family(help: "Bytes written through the mount")].counters["", default: 0] += UInt64(written)
            }
        }
    }

    /// One OSS request attempt: `status` 0 when no HTTP answer arrived; `attempt` > 1 is a retry.
    public func recordRequest(operation: String, status: Int, seconds: Double, attempt: Int) {
        let statusLabel = status == 0 ? "none" : String(status)
        families.withLock { f in
            f[Name.ossRequests, default: Family(help: "OSS request attempts, by operation and HTTP status (none: no answer)")]
                .counters[#"operation="\#(operation)",status="\#(statusLabel)""#, default: 0] += 1
            f[Name.ossLatency, default: Family(help: "OSS request attempt duration, by operation")]
                .histograms[#"operation="\#(operation)""#, default: Histogram()].observe(seconds)
            if attempt > 1 {
                f[Name.ossRetries, default: Family(help: "OSS request attempts that were retries, by operation")]
                    .counters[#"operation="\#(operation)""#, default: 0] += 1
            }
        }
    }

    /// Everything recorded so far, in the Prometheus text exposition format.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        if let statistics = fileSystemStatistics.withLock({ $0 })?() { out += Self.render(statistics) }
        let gauges = fixedGauges.withLock { $0 }
        for name in gauges.keys.sorted() {
            let gauge = gauges[name]!
            let value = gauge.value == gauge.value.rounded() && abs(gauge.value) < 1e15 ? String(Int64(gauge.value)) : String(gauge.value)
            out += "# HELP \(name) \(gauge.help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(family.help)\n"
            out += "# TYPE \(name) \(family.histograms.isEmpty ? "counter" : "histogram")\n"
            for labels in family.counters.keys.sorted() {
                out += "\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(family.counters[labels]!)\n"
            }
            for labels in family.histograms.keys.sorted() {
                let histogram = family.histograms[labels]!
                var cumulative: UInt64 = 0
                for (bound, count) in zip(Self.bounds, histogram.counts) {
                    cumulative += count
                    out += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
                }
                out += "\(name)_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
                out += "\(name)_sum{\(labels)} \(histogram.sum)\n"
                out += "\(name)_count{\(labels)} \(histogram.count)\n"
            }
        }
        return out
    }

    /// The file system's figures: counters of cache answers, gauges of what is held now.
    static func render(_ s: MountStatistics) -> String {
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) -> String {
            var text = "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { text += "\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(value)\n" }
            return text
        }
        let c = s.cache
        return family(Name.cacheHits, "counter", "Lookups and directory reads answered from the attribute or listing cache",
                      [(#"cache="attribute""#, "\(c.attributeHits)"), (#"cache="listing""#, "\(c.listingHits)")])
            + family(Name.cacheMisses, "counter", "Lookups and directory reads the attribute or listing cache could not answer",
                     [(#"cache="attribute""#, "\(c.attributeMisses)"), (#"cache="listing""#, "\(c.listingMisses)")])
            + family(Name.cacheEntries, "gauge", "Paths and directory listings held in the caches",
                     [(#"cache="attribute""#, "\(c.attributeEntries)"), (#"cache="listing""#, "\(c.listingEntries)")])
            + family(Name.cacheEvictions, "counter", "Cached paths and listings forgotten to stay within the memory budget",
                     [("", "\(c.evictions)")])
            + family(Name.stagedBytes, "gauge", "Bytes held in the staging files of open files", [("", "\(s.stagedBytes)")])
            + family(Name.dirtyFiles, "gauge", "Open files with writes not yet uploaded", [("", "\(s.dirtyFiles)")])
            + family(Name.uploadsInFlight, "gauge", "Whole-file uploads (PutObject or multipart) running", [("", "\(s.uploadsInFlight)")])
    }

    /// The exported metric names.
    enum Name {
        static let fuseOperations = "ossfuse_fuse_operations_total"
        static let fuseLatency = "ossfuse_fuse_operation_duration_seconds"
        static let fuseErrors = "ossfuse_fuse_errors_total"
        static let bytesRead = "ossfuse_read_bytes_total"
        static let bytesWritten = "ossfuse_written_bytes_total"
        static let ossRequests = "ossfuse_oss_requests_total"
        static let ossLatency = "ossfuse_oss_request_duration_seconds"
        static let ossRetries = "ossfuse_oss_request_retries_total"
        static let cacheHits = "ossfuse_cache_hits_total"
        static let cacheMisses = "ossfuse_cache_misses_total"
        static let cacheEntries = "ossfuse_cache_entries"
        static let cacheEvictions = "ossfuse_cache_evictions_total"
        static let stagedBytes = "ossfuse_staged_bytes"
        static let dirtyFiles = "ossfuse_dirty_files"
        static let uploadsInFlight = "ossfuse_uploads_in_flight"
    }

    /// `ENOENT` for 2, and so on for the errors a mount answers; `errno_N` for others.
    static func errnoName(_ value: Int32) -> String {
        let names: [Int32: String] = [
            EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", ENXIO: "ENXIO", EBADF: "EBADF", EAGAIN: "EAGAIN",
            EACCES: "EACCES", EBUSY: "EBUSY", EEXIST: "EEXIST", EXDEV: "EXDEV", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR",
            EINVAL: "EINVAL", EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS", ERANGE: "ERANGE",
            ENAMETOOLONG: "ENAMETOOLONG", ENOSYS: "ENOSYS", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP",
            ENODATA: "ENODATA", EOPNOTSUPP: "EOPNOTSUPP", ETIMEDOUT: "ETIMEDOUT", ENOTCONN: "ENOTCONN",
            EILSEQ: "EILSEQ", E2BIG: "E2BIG", EINTR: "EINTR",
        ]
        return names[value] ?? "errno_\(value)"
    }
}
