import Foundation

/// A real FUSE mount of a bucket for tests: runs the built `ossfuse` (in the foreground, so the
/// test owns the process) against an endpoint on a fresh temporary mount point, waits until the
/// kernel mount is live, runs shell commands in it, remounts, and always unmounts on teardown
/// (`fusermount3 -u`, lazy as a fallback) so no mount or process is left behind.
public final class MountedBucket: @unchecked Sendable {
    // @unchecked: a test drives one mount from one thread.
    /// The OSS endpoint ossfuse talks to.
    public let endpoint: URL
    /// The mounted bucket.
    public let bucket: String
    /// `BUCKET` or `BUCKET:/PREFIX` as passed to ossfuse.
    public let source: String
    /// Credentials handed to ossfuse in its environment.
    public let accessKeyId: String
    /// See `accessKeyId`.
    public let accessKeySecret: String
    /// The mount point (a fresh temporary directory).
    public let mountPoint: String
    /// `-o` options besides `url=` (e.g. "attr_timeout=1").
    public private(set) var options: [String]
    /// Extra command-line arguments (e.g. "-d").
    public let extraArguments: [String]
    private var process: MountCommand.Started?
    /// Everything ossfuse wrote to stderr by earlier mounts (debug logs, errors).
    private var pastLogs = ""
    private let ownsMountPoint: Bool

    /// Mounts at once; throws when ossfuse fails or the mount does not become live in `timeout`.
    public init(endpoint: URL, bucket: String, prefix: String? = nil, accessKeyId: String, accessKeySecret: String,
                options: [String] = [], extraArguments: [String] = [], mountPoint: String? = nil,
                timeout: TimeInterval = 60) throws {
        self.endpoint = endpoint
        self.bucket = bucket
        self.source = prefix.map { "\(bucket):/\($0)" } ?? bucket
        self.accessKeyId = accessKeyId
        self.accessKeySecret = accessKeySecret
        self.options = options
        self.extraArguments = extraArguments
        if let mountPoint {
            self.mountPoint = mountPoint
            ownsMountPoint = false
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-mnt-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            self.mountPoint = dir.path
            ownsMountPoint = true
        }
        try mount(timeout: timeout)
    }

    deinit {
        unmount()
        if ownsMountPoint { try? FileManager.default.removeItem(atPath: mountPoint) }
    }

    /// The environment ossfuse gets: the credentials.
    public var environment: [String: String] {
        ["OSS_ACCESS_KEY_ID": accessKeyId, "OSS_ACCESS_KEY_SECRET": accessKeySecret]
    }

    /// The `-o` string: `url=` first, then `options`.
    public var optionString: String { (["url=\(endpoint.absoluteString)"] + options).joined(separator: ",") }

    /// Whether the kernel mount is live (a fuse.ossfuse mount at `mountPoint`).
    public var isMounted: Bool { MountTable.isFuseMount(mountPoint) }

    /// ossfuse's stderr: earlier mounts' plus the current one's so far.
    public var log: String { pastLogs + (process?.stderrText ?? "") }

    /// Runs `command` with bash in the mount point (relative paths are inside the mount).
    public func run(_ command: String, timeout: TimeInterval = 300) throws -> CommandResult {
        try MountCommand.shell(command, in: mountPoint, timeout: timeout)
    }

    /// Absolute path of `relative` inside the mount.
    public func path(_ relative: String) -> String { mountPoint + "/" + relative }

    /// Unmounts and mounts again (optionally with other options): a fresh process and empty caches.
    public func remount(options newOptions: [String]? = nil, timeout: TimeInterval = 60) throws {
        unmount()
        if let newOptions { options = newOptions }
        try mount(timeout: timeout)
    }

    private func mount(timeout: TimeInterval) throws {
        let arguments = ["-f"] + extraArguments + [source, mountPoint, "-o", optionString]
        let started = try MountCommand.start(MountCommand.ossfuseBinary.path, arguments, environment: environment)
        process = started
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if isMounted { return }
            if !started.process.isRunning { break }
            usleep(20_000)
        }
        let stillRunning = started.process.isRunning
        unmount()
        throw MountError("ossfuse did not mount \(source) on \(mountPoint)" +
                         (stillRunning ? " within \(Int(timeout)) s" : "") + ": \(log)")
    }

    /// Unmounts (lazily if busy) and waits for the ossfuse process to end; safe to call twice.
    public func unmount() {
        if isMounted {
            let result = try? MountCommand.run("/bin/fusermount3", ["-u", mountPoint], timeout: 60)
            if result?.succeeded != true || isMounted {
                _ = try? MountCommand.run("/bin/fusermount3", ["-u", "-z", mountPoint], timeout: 60)
            }
        }
        guard let process else { return }
        let deadline = Date(timeIntervalSinceNow: 150)
        while process.process.isRunning && Date() < deadline { usleep(20_000) }
        if process.process.isRunning {
            kill(process.process.processIdentifier, SIGKILL)
            process.process.waitUntilExit()
            if isMounted { _ = try? MountCommand.run("/bin/fusermount3", ["-u", "-z", mountPoint], timeout: 60) }
        }
        pastLogs += process.result().stderr
        self.process = nil
    }
}

/// A mount helper failure, with ossfuse's own words.
public struct MountError: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// Reads /proc/self/mountinfo.
public enum MountTable {
    /// True when `path` is the mount point of a FUSE mount of type `fuse.ossfuse`.
    public static func isFuseMount(_ path: String, type: String = "fuse.ossfuse") -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        let escaped = path.replacingOccurrences(of: "\\", with: "\\134").replacingOccurrences(of: " ", with: "\\040")
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            if fields[4] == escaped && fields[dash + 1] == type { return true }
        }
        return false
    }

    /// The super options (last column) of `path`'s mountinfo line, e.g.
    /// "rw,user_id=0,group_id=0,default_permissions,allow_other".
    public static func superOptions(_ path: String) -> String? {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 5 && fields[4] == path, let last = fields.last { return String(last) }
        }
        return nil
    }

    /// The mount options column of `path`'s mountinfo line (e.g. "rw,nosuid,nodev,noatime").
    public static func mountOptions(_ path: String) -> String? {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 5 && fields[4] == path { return String(fields[5]) }
        }
        return nil
    }
}

extension MountedBucket {
    /// Mounts `bucket` of a running `ServerProcess` with its credentials.
    public convenience init(server: ServerProcess, bucket: String? = nil, prefix: String? = nil,
                            options: [String] = [], extraArguments: [String] = [], timeout: TimeInterval = 60) throws {
        try self.init(endpoint: server.endpoint, bucket: bucket ?? server.buckets.first ?? "test", prefix: prefix,
                      accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret,
                      options: options, extraArguments: extraArguments, timeout: timeout)
    }
}
