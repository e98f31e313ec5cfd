import Synchronization
import Foundation

/// `--sts-credentials FILE`: temporary credentials the server accepts besides its own key, one per
/// line as `id:secret:token:expiry-unix-seconds` (`#` comments and blank lines skipped). The file
/// is read again whenever its size or modification time changes, so a test can issue and expire
/// tokens while clients run.
final class STSCredentialFile: Sendable {
    /// One temporary credential.
    struct Entry: Sendable, Equatable {
        var secret: String
        var token: String
        var expiry: Date
    }

    let path: String
    private let state = Mutex<(stamp: [Int], entries: [String: Entry])>(([], [:]))

    init(path: String) { self.path = path }

    /// The entry for `accessKeyId`, from the file as it is now.
    func entry(for accessKeyId: String) -> Entry? {
        var info = stat()
        let stamp = stat(path, &info) == 0
            ? [Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec] : []
        return state.withLock { current in
            if current.stamp != stamp {
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                current = (stamp, Self.parse(text))
            }
            return current.entries[accessKeyId]
        }
    }

    /// Lines `id:secret:token:expiry`; malformed lines are skipped.
    static func parse(_ text: String) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty,
                  let expiry = Double(fields[3]) else { continue }
            entries[fields[0]] = Entry(secret: fields[1], token: fields[2], expiry: Date(timeIntervalSince1970: expiry))
        }
        return entries
    }
}
