import Foundation
import Synchronization

/// `-o credentials_dir=DIR`: the files `AccessKeyId`, `AccessKeySecret`, `SecurityToken` (optional)
/// and `Expiration` (optional, ISO 8601), one value each, as a Kubernetes secret is mounted (ACK's
/// driver swaps them atomically on rotation through the `..data` symlink). Read again whenever a
/// file's identity, size or modification time changes.
public final class CredentialsDirectorySource: CredentialSource {
    /// The directory.
    public let directory: String
    private let seen = Mutex<[FileStamp]>([])

    /// Reads from `directory`.
    public init(directory: String) { self.directory = directory }

    /// `credentials_dir DIR`.
    public var name: String { "credentials_dir \(directory)" }

    static let fileNames = ["AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"]

    /// Reads the files.
    public func fetch() async throws -> ExpiringCredentials {
        let stamps = stampsNow()
        func read(_ file: String) -> String? {
            guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else { return nil }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        guard let id = read("AccessKeyId"), let secret = read("AccessKeySecret") else {
            throw CredentialsError("\(name): cannot read the files AccessKeyId and AccessKeySecret")
        }
        var expiration: Date?
        if let text = read("Expiration") {
            guard let date = CredentialsDocument.parseExpiration(text) else {
                throw CredentialsError("\(name): Expiration is not ISO 8601: \(text)")
            }
            expiration = date
        }
        seen.withLock { $0 = stamps }
        return ExpiringCredentials(Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: read("SecurityToken")),
                                   expiration: expiration)
    }

    /// True when any of the four files changed (or appeared, or went) since the last fetch.
    public func hasChanged() -> Bool {
        let now = stampsNow()
        return seen.withLock { $0 != now }
    }

    private func stampsNow() -> [FileStamp] {
        Self.fileNames.map { FileStamp(path: directory + "/" + $0) }
    }
}

/// What identifies one version of a file (through symlinks): device, inode, size, modification time.
struct FileStamp: Equatable, Sendable {
    var device: UInt64 = 0, inode: UInt64 = 0, size: Int64 = -1, seconds: Int = 0, nanoseconds: Int = 0

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        device = UInt64(info.st_dev); inode = UInt64(info.st_ino); size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec; nanoseconds = info.st_mtim.tv_nsec
    }
}
