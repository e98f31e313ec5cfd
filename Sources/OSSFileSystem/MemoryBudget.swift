import Foundation

/// What a mount may keep in memory, from the memory limit of the cgroup it runs in (a container's
/// or a systemd unit's `MemoryMax=`): half of the tightest `memory.max` on the path from the
/// process's cgroup up to the root (cgroup v2; v1's `memory.limit_in_bytes` when only the v1
/// memory controller is mounted). The other half is left to the Swift runtime, libcurl, the
/// kernel's page cache charged to the cgroup, and the rest of the process.
///
/// The budget is applied by bounding the buffers that grow with load, so that more load means
/// waiting, not more memory: the read-ahead window of each open file (`maxPrefetchBytes`, at most
/// a quarter of the budget) and the ranged GETs a file's copy into staging holds in memory
/// (`stagingLoadsInFlight` × 8 MiB, at most a quarter of the budget: a further range waits for
/// one to be written), and the attribute and listing caches (`maxCachedEntries`, a quarter of
/// the budget at 1 KiB a name: beyond it names are forgotten and asked again). Uploads stream from the staging file and need no bound; `parallelism`
/// (listing HEADs, small) is left alone. The process's `oom_score_adj` is never touched.
public struct MemoryBudget: Sendable, Equatable {
    /// The share of the cgroup limit the mount's caches and buffers may use.
    public static let share = 0.5

    /// The limit in bytes; nil when unlimited ("max") or no cgroup limit could be read.
    public var limit: Int64?
    /// The file the limit was read from, for the log.
    public var source: String?

    public init(limit: Int64?, source: String?) {
        self.limit = limit
        self.source = source
    }

    /// The bytes caches and buffers may use; nil when unlimited.
    public var bytes: Int64? { limit.map { Int64(Double($0) * Self.share) } }

    /// Reads the limit of the calling process's cgroup. `root` is where the cgroup file system is
    /// mounted (`OSSFUSE_CGROUP_ROOT` overrides it, e.g. to point at a prepared directory);
    /// `selfCgroup` is the text of `/proc/self/cgroup`.
    public static func read(root: String = "/sys/fs/cgroup", selfCgroup: String? = nil) -> MemoryBudget {
        let membership = selfCgroup ?? ((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "0::/")
        let paths = cgroupPaths(membership)
        // cgroup v2: the unified hierarchy at root (or root/unified on a hybrid host).
        if let path = paths.unified {
            for base in [root, root + "/unified"] {
                if let found = tightest(base: base, path: path, file: "memory.max") { return found }
            }
        }
        if let path = paths.memoryV1, let found = tightest(base: root + "/memory", path: path, file: "memory.limit_in_bytes") {
            return found
        }
        return MemoryBudget(limit: nil, source: nil)
    }

    /// The cgroup paths in `/proc/self/cgroup`: the v2 line `0::/path` and the v1 memory
    /// controller's `N:memory:/path` (or `N:...,memory,...:/path`).
    static func cgroupPaths(_ text: String) -> (unified: String?, memoryV1: String?) {
        var unified: String?
        var memory: String?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty { unified = String(fields[2]) }
            if fields[1].split(separator: ",").contains("memory") { memory = String(fields[2]) }
        }
        return (unified, memory)
    }

    /// A limit file's value: bytes, or nil for "max" (v2) or v1's "unlimited" (a huge number).
    static func parseLimit(_ text: String) -> Int64? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value != "max", let bytes = Int64(value), bytes > 0 else { return nil }
        // cgroup v1 reports "no limit" as the largest page-aligned Int64 (0x7FFFFFFFFFFFF000).
        return bytes >= Int64.max / 2 ? nil : bytes
    }

    /// The smallest limit set on `path` or any ancestor below `base`; nil when no level had the
    /// file (not this hierarchy); a found hierarchy without limits answers an unlimited budget.
    /// A container without its own cgroup namespace sees its cgroup's full path in
    /// /proc/self/cgroup but has only its own subtree mounted: the longest tail of the path that
    /// exists below `base` is taken as the process's directory.
    static func tightest(base: String, path: String, file: String) -> MemoryBudget? {
        let full = path.split(separator: "/").map(String.init)
        var components = full
        for start in full.indices {
            let tail = Array(full[start...])
            if FileManager.default.fileExists(atPath: ([base] + tail).joined(separator: "/")) {
                components = tail
                break
            }
        }
        var sawFile = false
        var best: MemoryBudget?
        while true {
            let directory = ([base] + components).joined(separator: "/")
            let filePath = directory + "/" + file
            if let text = try? String(contentsOfFile: filePath, encoding: .utf8) {
                sawFile = true
                if let limit = parseLimit(text), limit < (best?.limit ?? .max) {
                    best = MemoryBudget(limit: limit, source: filePath)
                }
            }
            if components.isEmpty { break }
            components.removeLast()
        }
        return best ?? (sawFile ? MemoryBudget(limit: nil, source: nil) : nil)
    }

    /// `configuration` with what it keeps in memory bounded by the budget (unchanged when unlimited).
    public func applied(to configuration: MountConfiguration) -> MountConfiguration {
        guard let budget = bytes else { return configuration }
        var bounded = configuration
        bounded.maxPrefetchBytes = max(0, min(configuration.maxPrefetchBytes, budget / 4))
        let loads = Int(max(1, (budget / 4) / StagedFile.loadChunk))
        if loads < configuration.parallelism { bounded.stagingLoadsInFlight = loads }
        bounded.maxCachedEntries = Int(max(1000, (budget / 4) / Self.bytesPerCachedEntry))
        return bounded
    }

    /// What one cached path or listed name is reckoned to cost (its key, `NodeStat`, dictionary
    /// overhead): an estimate, on the generous side.
    static let bytesPerCachedEntry: Int64 = 1024

    /// One log line: the budget and what it bounds.
    public func describe(_ configuration: MountConfiguration) -> String {
        let bounded = applied(to: configuration)
        let loads = min(bounded.parallelism, bounded.stagingLoadsInFlight ?? .max)
        let bounds = "read-ahead up to \(Self.size(bounded.maxPrefetchBytes)) per open file,"
            + " \(loads) ranged GETs of \(Self.size(StagedFile.loadChunk)) per file copied into staging"
            + ", \(bounded.maxCachedEntries ?? AttributeCache.defaultMaxEntries) cached names"
        guard let limit, let budget = bytes else { return "memory budget: none (no cgroup memory limit); " + bounds }
        return "memory budget: \(Self.size(budget)) (\(Int(Self.share * 100))% of the cgroup limit \(Self.size(limit))"
            + " in \(source ?? "?")): " + bounds
    }

    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }
}
