#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The on-disk layout of object data: `<root>/data/<2 hex>/<id>` for committed data files and
/// `<root>/tmp/<id>` while a body is being received. Ids are random; object keys never become paths.
struct DataDirectory: Sendable {
    let root: String
    var dataRoot: String { root + "/data" }
    var tempRoot: String { root + "/tmp" }
    var indexPath: String { root + "/index.sqlite" }

    /// A new random data id (32 lower-case hex characters).
    static func newId() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &generator)) }.joined()
    }

    func path(for id: String) -> String { "\(dataRoot)/\(id.prefix(2))/\(id)" }
    func tempPath(for id: String) -> String { "\(tempRoot)/\(id)" }

    /// Creates the directories and removes temporary files left by an earlier run.
    func prepare() throws {
        for dir in [root, dataRoot, tempRoot] where !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tempRoot)) ?? [] {
            unlink(tempRoot + "/" + name)
        }
    }

    /// Moves a finished temp file into place (the data file then exists under `id`).
    func install(id: String) throws {
        let target = path(for: id)
        let dir = "\(dataRoot)/\(id.prefix(2))"
        if mkdir(dir, 0o755) != 0 && errno != EEXIST { throw FileError("mkdir \(dir)", errno) }
        guard rename(tempPath(for: id), target) == 0 else { throw FileError("rename to \(target)", errno) }
        syncDirectory(dir)
    }

    /// Creates a second name (hard link) for an existing data file; returns the new id.
    func link(_ id: String) throws -> String {
        let newId = Self.newId()
        let dir = "\(dataRoot)/\(newId.prefix(2))"
        if mkdir(dir, 0o755) != 0 && errno != EEXIST { throw FileError("mkdir \(dir)", errno) }
        guard Glibc.link(path(for: id), path(for: newId)) == 0 else { throw FileError("link \(id)", errno) }
        syncDirectory(dir)
        return newId
    }

    /// Removes a committed data file (ignores a missing one).
    func remove(_ id: String?) {
        guard let id else { return }
        unlink(path(for: id))
    }

    /// Removes a temp file (ignores a missing one).
    func removeTemp(_ id: String) { unlink(tempPath(for: id)) }

    /// Opens a data file for reading; returns the descriptor.
    func openForReading(_ id: String) throws -> Int32 {
        let fd = open(path(for: id), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open data \(id)", errno) }
        return fd
    }

    /// Every committed data file with its size.
    func allDataFiles() -> [String: Int64] {
        var result: [String: Int64] = [:]
        let fm = FileManager.default
        for sub in (try? fm.contentsOfDirectory(atPath: dataRoot)) ?? [] {
            for name in (try? fm.contentsOfDirectory(atPath: dataRoot + "/" + sub)) ?? [] {
                var info = stat()
                if stat("\(dataRoot)/\(sub)/\(name)", &info) == 0 { result[name] = Int64(info.st_size) }
            }
        }
        return result
    }

    /// Names of leftover temp files.
    func tempFiles() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: tempRoot)) ?? [] }

    private func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}

/// A failed file-system call with its errno.
struct FileError: Error, CustomStringConvertible {
    let what: String
    let code: Int32
    init(_ what: String, _ code: Int32) { self.what = what; self.code = code }
    var description: String { "\(what): \(String(cString: strerror(code)))" }
}
