import Foundation
@preconcurrency import Glibc

/// An access key pair (and STS token), before it becomes the client's credentials.
struct AccessKey: Sendable, Equatable {
    var id: String
    var secret: String
    var securityToken: String?
}

/// Finds the credentials: `-o passwd_file=FILE`, else OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET /
/// OSS_SESSION_TOKEN, else /etc/passwd-ossfuse when it exists (handy for fstab mounts).
/// A passwd file holds `bucket:id:secret` lines, or `id:secret` for any bucket, and must not be
/// accessible by group or others (as with ossfs).
enum AccessKeyLoader {
    static let systemPasswdFile = "/etc/passwd-ossfuse"

    static func load(bucket: String, passwdFile: String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(MountSettingsError) -> AccessKey {
        if let passwdFile { return try fromFile(passwdFile, bucket: bucket) }
        if let id = environment["OSS_ACCESS_KEY_ID"], !id.isEmpty {
            guard let secret = environment["OSS_ACCESS_KEY_SECRET"], !secret.isEmpty else {
                throw MountSettingsError("OSS_ACCESS_KEY_ID is set but OSS_ACCESS_KEY_SECRET is not")
            }
            let token = environment["OSS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return AccessKey(id: id, secret: secret, securityToken: token)
        }
        if access(systemPasswdFile, F_OK) == 0 { return try fromFile(systemPasswdFile, bucket: bucket) }
        throw MountSettingsError("no credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or use -o passwd_file=FILE")
    }

    static func fromFile(_ path: String, bucket: String) throws(MountSettingsError) -> AccessKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw MountSettingsError("cannot read passwd file \(path): \(String(cString: strerror(errno)))")
        }
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw MountSettingsError("passwd file \(path) is accessible by group or others (mode 0\(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MountSettingsError("cannot read passwd file \(path)")
        }
        return try parse(text, bucket: bucket, path: path)
    }

    /// The line for `bucket` wins over an `id:secret` line for any bucket.
    static func parse(_ text: String, bucket: String, path: String) throws(MountSettingsError) -> AccessKey {
        var anyBucket: AccessKey?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch fields.count {
            case 2 where !fields[0].isEmpty && !fields[1].isEmpty:
                if anyBucket == nil { anyBucket = AccessKey(id: fields[0], secret: fields[1]) }
            case 3 where !fields[1].isEmpty && !fields[2].isEmpty:
                if fields[0] == bucket { return AccessKey(id: fields[1], secret: fields[2]) }
            default:
                throw MountSettingsError("passwd file \(path) line \(index + 1): expected bucket:id:secret or id:secret")
            }
        }
        if let anyBucket { return anyBucket }
        throw MountSettingsError("passwd file \(path) has no line for bucket \(bucket)")
    }
}
