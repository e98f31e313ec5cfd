import Foundation

/// Applies `-o opt[,opt...]` strings to `MountSettings`. Options of mount(8) and mount.fuse3 that
/// mean nothing here are accepted and ignored; anything else unknown is an error.
enum MountOptionParser {
    /// Generic mount(8) options mount.fuse3 may pass along; accepted and ignored.
    static let ignored: Set<String> = [
        "rw", "dev", "nodev", "suid", "nosuid", "exec", "noexec", "auto", "noauto", "user", "nouser", "users",
        "_netdev", "nofail", "defaults", "async", "sync", "atime", "noatime", "relatime", "norelatime",
        "strictatime", "diratime", "nodiratime", "lazytime", "owner", "group", "default_permissions",
        "dirsync", "loud", "silent", "auto_unmount",
    ]

    /// Every unknown option is named in the one error (a typo in an fstab line shows all at once).
    static func apply(_ optionStrings: [String], to settings: inout MountSettings) throws(MountSettingsError) {
        var unknown: [String] = []
        for string in optionStrings {
            for option in split(string) where !option.isEmpty {
                if try !apply(option, to: &settings) { unknown.append(option) }
            }
        }
        switch unknown.count {
        case 0: return
        case 1: throw MountSettingsError("unknown option '\(unknown[0])' (see ossfuse --help)")
        default:
            let names = unknown.map { "'\($0)'" }.joined(separator: ", ")
            throw MountSettingsError("unknown options \(names) (see ossfuse --help)")
        }
    }

    /// Splits on commas, honouring `\,` as a literal comma.
    static func split(_ string: String) -> [String] {
        var result: [String] = []
        var current = ""
        var escaped = false
        for ch in string {
            if escaped { current.append(ch); escaped = false }
            else if ch == "\\" { escaped = true }
            else if ch == "," { result.append(current); current = "" }
            else { current.append(ch) }
        }
        result.append(current)
        return result
    }

    /// Applies one option; false when it is unknown.
    private static func apply(_ option: String, to s: inout MountSettings) throws(MountSettingsError) -> Bool {
        let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(pair[0])
        let value = pair.count > 1 ? String(pair[1]) : nil
        func required() throws(MountSettingsError) -> String {
            guard let value, !value.isEmpty else { throw MountSettingsError("option '\(name)' needs a value (\(name)=...)") }
            return value
        }
        func flag() throws(MountSettingsError) {
            if value != nil { throw MountSettingsError("option '\(name)' takes no value") }
        }
        switch name {
        case "url", "endpoint":
            let url = try required()
            guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                  parsed.host != nil else {
                throw MountSettingsError("url '\(url)' is not an http:// or https:// URL")
            }
            s.endpoint = url
        case "region": s.region = try required()
        case "sigv1": try flag(); s.signatureV1 = true
        case "sigv4": try flag(); s.signatureV1 = false
        case "passwd_file": s.passwdFile = try required()
        case "attr_timeout": s.attributeTimeout = try seconds(name, try required())
        case "negative_timeout": s.negativeTimeout = try seconds(name, try required())
        case "allow_other": try flag(); s.allowOther = true
        case "uid": s.uid = try integer(name, try required(), radix: 10)
        case "gid": s.gid = try integer(name, try required(), radix: 10)
        case "umask":
            let mask: UInt32 = try integer(name, try required(), radix: 8)
            guard mask <= 0o777 else { throw MountSettingsError("umask must be an octal number up to 777") }
            s.umask = mask
        case "ro": try flag(); s.readOnly = true
        case "nosymfollow": try flag(); s.noSymFollow = true
        case "symfollow": try flag(); s.noSymFollow = false
        case "max_background": s.maxBackground = Int(try integer(name, try required(), radix: 10, minimum: 1))
        case "parallelism": s.parallelism = Int(try integer(name, try required(), radix: 10, minimum: 1))
        case "log_file": s.logFile = try required()
        case "staging_dir": s.stagingDirectory = try required()
        case "multipart_threshold": s.multipartThreshold = try size(name, try required())
        case "part_size":
            s.partSize = try size(name, try required())
            guard s.partSize >= 100 << 10 else { throw MountSettingsError("part_size must be at least 100K") }
        case "max_prefetch": s.maxPrefetchBytes = try size(name, try required())
        case "stat_listed": try flag(); s.listingOnly = false
        case "listing_only": try flag(); s.listingOnly = true
        case "direct_io": try flag(); s.directIOAlways = true
        case "restore_on_open": try flag(); s.restoreOnOpen = true
        case "cache_dir":
            let dir = try required()
            guard !dir.isEmpty else { throw MountSettingsError("cache_dir must name a directory") }
            s.cacheDirectory = dir
        case "cache_size": s.cacheSize = try size(name, try required())
        case "cache_min_free":
            let value = try required()
            s.cacheMinFree = value == "0" ? 0 : try size(name, value)
        case "stop_timeout": s.stopTimeout = try seconds(name, try required())
        case "metrics": s.metrics = try MetricsAddress(try required())
        default:
            if try ConnectionSettings.apply(name, value, to: &s.connection) { return true }
            return ignored.contains(name) || name.hasPrefix("x-") || name == "comment"
        }
        return true
    }

    private static func seconds(_ name: String, _ value: String) throws(MountSettingsError) -> Double {
        guard let number = Double(value), number >= 0, number.isFinite else {
            throw MountSettingsError("\(name) must be a number of seconds, not '\(value)'")
        }
        return number
    }

    private static func integer(_ name: String, _ value: String, radix: Int, minimum: UInt32 = 0) throws(MountSettingsError) -> UInt32 {
        guard let number = UInt32(value, radix: radix), number >= minimum else {
            throw MountSettingsError("\(name) must be \(radix == 8 ? "an octal" : "a whole") number\(minimum > 0 ? " >= \(minimum)" : ""), not '\(value)'")
        }
        return number
    }

    /// Bytes with an optional K/M/G suffix (powers of 1024).
    static func size(_ name: String, _ value: String) throws(MountSettingsError) -> Int64 {
        var digits = value.uppercased()
        var multiplier: Int64 = 1
        if let last = digits.last, let shift = ["K": 10, "M": 20, "G": 30][String(last)] {
            multiplier = 1 << shift
            digits.removeLast()
        }
        guard let number = Int64(digits), number > 0 else {
            throw MountSettingsError("\(name) must be a size like 16M, not '\(value)'")
        }
        return number * multiplier
    }
}
