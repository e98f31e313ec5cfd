import Foundation
import Synchronization
import OSSClient
import OSSFileSystem
import OSSProtocol
import TestSupport
import Testing

/// The backends every contract test runs over.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `TestSupport.InMemoryObjectStore`.
    case memory
    /// A real `ossfuse-server` process (one per test) reached through `OSSClient` over HTTP.
    case server
    var testDescription: String { rawValue }
}

/// A clock the tests move by hand, so cache expiry never depends on wall time.
final class ManualClock: Sendable {
    private let date = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
    var now: Date { date.withLock { $0 } }
    func advance(_ seconds: Double) { date.withLock { $0 += seconds } }
}

/// Collects log lines.
final class LogLines: Sendable {
    private let stored = Mutex([String]())
    func append(_ line: String) { stored.withLock { $0.append(line) } }
    var lines: [String] { stored.withLock { $0 } }
}

/// One file system over one fresh store, with path-level helpers (what a shell would do).
final class Harness: Sendable {
    /// The store without counting (to seed objects the way another tool would).
    let raw: any ObjectStore
    let store: RecordingObjectStore
    let clock = ManualClock()
    let log = LogLines()
    let configuration: MountConfiguration
    let fs: OSSFileSystem
    let backend: Backend
    /// The server process of the `.server` backend, stopped when the harness goes.
    let server: ServerProcess?

    static let root: InodeNumber = 1
    /// Who creates and writes through the harness: the mounting user of `defaultConfiguration`
    /// (new objects store their creator as owner).
    static let mountUser = CallerContext(uid: 1000, gid: 1000)
    static let defaultConfiguration = MountConfiguration(attributeTimeout: 60, negativeTimeout: 5, uid: 1000, gid: 1000,
                                                         parallelism: 4, stagingDirectory: NSTemporaryDirectory())
    /// The listing-only mode (`-o listing_only`), for the tests of what it saves.
    static var listingOnlyConfiguration: MountConfiguration {
        var configuration = defaultConfiguration
        configuration.listingOnly = true
        return configuration
    }

    init(_ backend: Backend, configuration: MountConfiguration = Harness.defaultConfiguration) async throws {
        self.backend = backend
        switch backend {
        case .memory:
            raw = InMemoryObjectStore()
            server = nil
        case .server:
            // As strict as OSS where the local server can be: the file system must never copy an
            // appendable object (chmod and rename of one rewrite it instead).
            let server = try ServerProcess(buckets: ["fs-test"], arguments: ["--refuse-appendable-copy"])
            let credentials = Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret)
            raw = try OSSClient(configuration: ClientConfiguration(endpoint: server.endpoint, bucket: "fs-test", credentials: credentials))
            self.server = server
        }
        store = RecordingObjectStore(raw)
        self.configuration = configuration
        let log = self.log, clock = self.clock
        fs = OSSFileSystem(store: store, configuration: configuration, logger: .collecting { log.append($0) }, clock: { clock.now })
    }

    /// A second, independent mount of the same bucket (nothing cached).
    func remount(_ configuration: MountConfiguration? = nil) -> OSSFileSystem {
        let clock = self.clock
        return OSSFileSystem(store: store, configuration: configuration ?? self.configuration, clock: { clock.now })
    }

    // MARK: - Path helpers (paths are mount-relative, "a/b")

    func ino(_ path: String, on fs: OSSFileSystem? = nil) async throws(FSError) -> InodeNumber {
        let fs = fs ?? self.fs
        var ino = Harness.root
        for name in path.split(separator: "/") {
            ino = try await fs.lookup(parent: ino, name: String(name)).attributes.ino
        }
        return ino
    }

    /// The parent's inode and the last name.
    func parent(_ path: String, on fs: OSSFileSystem? = nil) async throws(FSError) -> (InodeNumber, String) {
        let parts = path.split(separator: "/").map(String.init)
        return (try await ino(parts.dropLast().joined(separator: "/"), on: fs), parts.last!)
    }

    func lstat(_ path: String, on fs: OSSFileSystem? = nil) async throws(FSError) -> FileAttributes {
        let fs = fs ?? self.fs
        return try await fs.getattr(try await ino(path, on: fs)).0
    }

    /// Writes `data` as the whole content of `path` (creating it), like `cat > path`.
    func write(_ path: String, _ data: Data, mode: UInt32 = 0o644) async throws(FSError) {
        let (parent, name) = try await parent(path)
        var handle: HandleNumber = 0, ino: InodeNumber = 0
        do throws(FSError) {
            ino = try await fs.lookup(parent: parent, name: name).attributes.ino
            handle = try await fs.open(ino, flags: O_WRONLY | O_TRUNC, context: Self.mountUser).handle
        } catch where error.errno == ENOENT {
            let created = try await fs.create(parent: parent, name: name, mode: UInt32(S_IFREG) | mode,
                                              flags: O_WRONLY | O_CREAT, context: Self.mountUser)
            ino = created.0.attributes.ino
            handle = created.handle
        }
        if !data.isEmpty { _ = try await fs.write(ino, handle: handle, offset: 0, data: data) }
        try await fs.flush(ino, handle: handle)
        try await fs.release(ino, handle: handle)
    }

    func write(_ path: String, _ text: String) async throws(FSError) { try await write(path, Data(text.utf8)) }

    func read(_ path: String, on fs: OSSFileSystem? = nil) async throws(FSError) -> Data {
        let fs = fs ?? self.fs
        let ino = try await ino(path, on: fs)
        let size = try await fs.getattr(ino).0.size
        let handle = try await fs.open(ino, flags: O_RDONLY, context: CallerContext()).handle
        defer { Task { try? await fs.release(ino, handle: handle) } }
        var out = Data()
        while out.count < Int(size) {
            let chunk = try await fs.read(ino, handle: handle, offset: UInt64(out.count), size: 64 << 10)
            if chunk.isEmpty { break }
            out += chunk
        }
        return out
    }

    func readText(_ path: String, on fs: OSSFileSystem? = nil) async throws(FSError) -> String {
        String(decoding: try await read(path, on: fs), as: UTF8.self)
    }

    @discardableResult
    func mkdir(_ path: String, mode: UInt32 = 0o755) async throws(FSError) -> EntryReply {
        let (parent, name) = try await parent(path)
        return try await fs.mkdir(parent: parent, name: name, mode: mode, context: Self.mountUser)
    }

    @discardableResult
    func ln(_ text: String, _ path: String) async throws(FSError) -> EntryReply {
        let (parent, name) = try await parent(path)
        return try await fs.symlink(parent: parent, name: name, target: text, context: Self.mountUser)
    }

    func readlink(_ path: String, on fs: OSSFileSystem? = nil) async throws(FSError) -> String {
        let fs = fs ?? self.fs
        return try await fs.readlink(try await ino(path, on: fs))
    }

    /// Names in a directory (without "." and ".."), through readdirplus unless `plus` is false.
    func ls(_ path: String, plus: Bool = true, on fs: OSSFileSystem? = nil) async throws(FSError) -> [String] {
        try await entries(path, plus: plus, on: fs).map(\.name)
    }

    func entries(_ path: String, plus: Bool = true, on fs: OSSFileSystem? = nil) async throws(FSError) -> [DirectoryEntry] {
        let fs = fs ?? self.fs
        let ino = try await ino(path, on: fs)
        let handle = try await fs.opendir(ino)
        var out: [DirectoryEntry] = []
        var offset: UInt64 = 0
        while true {
            let batch = try await fs.readdir(ino, handle: handle, offset: offset, limit: 3, plus: plus)
            if batch.isEmpty { break }
            out += batch
            offset = batch.last!.offset
        }
        await fs.releasedir(ino, handle: handle)
        return out.filter { $0.name != "." && $0.name != ".." }
    }

    func rm(_ path: String) async throws(FSError) {
        let (parent, name) = try await parent(path)
        try await fs.unlink(parent: parent, name: name)
    }

    func rmdir(_ path: String) async throws(FSError) {
        let (parent, name) = try await parent(path)
        try await fs.rmdir(parent: parent, name: name)
    }

    func mv(_ from: String, _ to: String, flags: UInt32 = 0) async throws(FSError) {
        let (parent, name) = try await parent(from)
        let (newParent, newName) = try await self.parent(to)
        try await fs.rename(parent: parent, name: name, newParent: newParent, newName: newName, flags: flags)
    }

    func setattr(_ path: String, _ changes: AttributeChanges) async throws(FSError) -> FileAttributes {
        try await fs.setattr(try await ino(path), changes: changes, handle: nil, context: CallerContext()).0
    }
}

/// The errno `body` fails with, or nil when it succeeds (-1 for an error that is not an FSError).
func errnoOf(_ body: () async throws -> Void) async -> Int32? {
    do {
        try await body()
        return nil
    } catch let error as FSError {
        return error.errno
    } catch {
        return -1
    }
}
