import Foundation
import Logging
import Synchronization

/// The local data cache of `-o cache_dir=`: blocks of objects as files under the directory, kept
/// across remounts and shared by every mount given the same directory.
///
/// - Files are written to `tmp/` and renamed into place (atomic: a reader sees a whole block or
///   none) and verified on every read (`BlockFile`): a bad block is deleted and reported missing.
/// - Nothing is scanned at start: a block is looked up by its name when wanted, and the bytes
///   held are counted by a background sweep started with the first use.
/// - Sharing: blocks need no lock (same name ⇒ same bytes; rename and unlink are atomic, and an
///   unlinked block stays readable through an open descriptor). Evicting takes `evict.lock`
///   (flock), so one mount at a time sweeps, and its count covers every mount's blocks.
/// - Bounds: a block is not written when it would take the bytes held past `maxBytes` or the free
///   space under the floor; that, or ENOSPC while writing, starts an eviction (least recently used
///   first: a read sets the block's mtime) and the read goes on uncached.
public final class DataCache: Sendable {
    public struct Counters: Sendable, Equatable {
        public var hits = 0, misses = 0, written = 0, corrupt = 0, evicted = 0, skipped = 0
    }

    private struct State {
        var used: Int64 = 0
        var counted = false
        var sweeping = false
        var sweeperStarted = false
        var counters = Counters()
        var sequence = 0
    }

    let configuration: DataCacheConfiguration
    private let root: String
    private let state = Mutex(State())
    private let logger: Logger
    /// Names this instance's temporaries apart from those of other mounts (and of other instances in
    /// one process).
    private let tag = String(getpid()) + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)

    public var blockSize: Int { configuration.blockSize }
    public var counters: Counters { state.withLock { $0.counters } }

    /// Uses (and creates) `configuration.directory`; does no I/O beyond creating it.
    public init(_ configuration: DataCacheConfiguration, logger: Logger = Logger(label: "ossfuse.cache")) throws {
        self.configuration = configuration
        self.root = configuration.directory.hasSuffix("/") ? String(configuration.directory.dropLast()) : configuration.directory
        self.logger = logger
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
    }

    // MARK: blocks

    /// The data of block `index` of version `etag` of `key`, or nil (absent or bad: a bad one is deleted).
    func block(key: String, etag: String, index: Int64) -> Data? {
        startSweeperOnce()
        let block = BlockKey(namespace: configuration.namespace, key: key, etag: etag, index: index)
        let path = root + "/" + block.relativePath
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            state.withLock { $0.counters.misses += 1 }
            return nil
        }
        defer { Foundation.close(fd) }
        let file = Self.map(fd, limit: configuration.blockSize + BlockFile.headerSize)
        guard let file, let data = BlockFile.decode(file, identity: block.identity) else {
            unlink(path)
            state.withLock { $0.counters.corrupt += 1; $0.counters.misses += 1 }
            logger.warning("data cache: block \(index) of \(key) failed its check; dropped, fetching it again")
            return nil
        }
        futimens(fd, nil)  // most recently used now
        state.withLock { $0.counters.hits += 1 }
        return data
    }

    /// Stores block `index` of version `etag` of `key` when the bounds allow; never fails.
    func store(_ data: Data, key: String, etag: String, index: Int64) {
        startSweeperOnce()
        let size = Int64(data.count + BlockFile.headerSize)
        let allowed = state.withLock { state -> Bool in
            if let max = configuration.maxBytes, state.used + size > max { return false }
            return true
        }
        guard allowed, freeBytes() - size >= minFree() else {
            state.withLock { $0.counters.skipped += 1 }
            evictSoon()
            return
        }
        let block = BlockKey(namespace: configuration.namespace, key: key, etag: etag, index: index)
        let temp = root + "/tmp/" + tag + "-" + String(state.withLock { $0.sequence += 1; return $0.sequence })
        let final = root + "/" + block.relativePath
        let error = write(BlockFile.encode(data, identity: block.identity), to: temp)
        if error == 0, rename(temp, final) == 0 || retryAfterMakingDirectory(temp, final) {
            state.withLock { $0.used += size; $0.counters.written += 1 }
            return
        }
        let failure = error != 0 ? error : errno
        unlink(temp)
        state.withLock { $0.counters.skipped += 1 }
        if failure == ENOSPC || failure == EDQUOT {
            logger.warning("data cache: \(root) is full (ENOSPC); evicting, reads go on uncached meanwhile")
        }
        evictSoon()
    }

    /// Drops every cached block of every version of `key` (this mount wrote, renamed or deleted it).
    func drop(key: String) {
        let dir = root + "/" + BlockKey.keyDirectory(namespace: configuration.namespace, key: key)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        var freed: Int64 = 0
        for name in names {
            var st = stat()
            if lstat(dir + "/" + name, &st) == 0 { freed += Int64(st.st_size) }
            unlink(dir + "/" + name)
        }
        rmdir(dir)
        state.withLock { $0.used = max(0, $0.used - freed) }
    }

    private func retryAfterMakingDirectory(_ temp: String, _ final: String) -> Bool {
        guard errno == ENOENT else { return false }
        let dir = (final as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return rename(temp, final) == 0
    }

    /// Writes `bytes` to a new file `path`: 0, or the errno that stopped it.
    private func write(_ bytes: Data, to path: String) -> Int32 {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return errno }
        defer { Foundation.close(fd) }
        return bytes.withUnsafeBytes { raw -> Int32 in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return 0
        }
    }

    /// The file's bytes mapped (read-only, pre-faulted from the page cache: no copy into fresh
    /// memory), or nil when larger than `limit` or unreadable. Block files are only ever replaced by
    /// rename or unlinked, never truncated in place, so a mapping stays valid.
    static func map(_ fd: Int32, limit: Int) -> Data? {
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0, Int(st.st_size) <= limit else { return st.st_size == 0 ? Data() : nil }
        let count = Int(st.st_size)
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), address != MAP_FAILED else {
            return readAll(fd, limit: limit + 1)
        }
        return Data(bytesNoCopy: address, count: count, deallocator: .custom { pointer, count in munmap(pointer, count) })
    }

    static func readAll(_ fd: Int32, limit: Int) -> Data? {
        var buffer = Data(count: limit)
        let count = buffer.withUnsafeMutableBytes { raw -> Int in
            var done = 0
            while done < limit {
                let n = Foundation.read(fd, raw.baseAddress! + done, limit - done)
                if n < 0 { if errno == EINTR { continue }; return -1 }
                if n == 0 { break }
                done += n
            }
            return done
        }
        guard count >= 0 else { return nil }
        buffer.count = count
        return buffer
    }

    // MARK: bounds

    func freeBytes() -> Int64 {
        var s = statvfs()
        guard statvfs(root, &s) == 0 else { return Int64.max }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    func minFree() -> Int64 {
        if let floor = configuration.minFreeBytes { return floor }
        var s = statvfs()
        guard statvfs(root, &s) == 0 else { return 0 }
        return Int64(s.f_blocks) * Int64(s.f_frsize) / 20
    }

    /// The background count of the bytes held, once, at first use (never at mount: a big cache left
    /// by an earlier mount must not delay it).
    private func startSweeperOnce() {
        let start = state.withLock { state -> Bool in
            defer { state.sweeperStarted = true }
            return !state.sweeperStarted
        }
        if start { evictSoon() }
    }

    /// Starts a sweep on a thread of its own unless one is under way.
    func evictSoon() {
        let start = state.withLock { state -> Bool in
            defer { state.sweeping = true }
            return !state.sweeping
        }
        guard start else { return }
        let thread = Thread { [self] in
            sweep()
            state.withLock { $0.sweeping = false }
        }
        thread.start()
    }

    /// Counts every block (of every mount sharing the directory) and, when over a bound, deletes the
    /// least recently used down to 90% of `maxBytes` and the floor plus 5% of the cache's share.
    /// One mount at a time (flock on `evict.lock`); a mount that finds the lock taken leaves it to the other.
    /// With `wait`, waits for another sweep to end rather than leave it the work.
    func sweep(wait: Bool = false) {
        state.withLock { $0.sweeperStarted = true }
        let lockFD = Foundation.open(root + "/evict.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockFD >= 0 else { return }
        defer { Foundation.close(lockFD) }
        guard flock(lockFD, wait ? LOCK_EX : LOCK_EX | LOCK_NB) == 0 else { return }
        defer { flock(lockFD, LOCK_UN) }
        var blocks: [(path: String, size: Int64, used: Int)] = []
        Self.walk(root + "/v1") { path, st in blocks.append((path, Int64(st.st_size), st.st_mtim.tv_sec)) }
        Self.removeStaleTemporaries(root + "/tmp")
        var total = blocks.reduce(0) { $0 + $1.size }
        let lowWater = configuration.maxBytes.map { $0 - max($0 / 10, Int64(configuration.blockSize) * 2) }
        let floor = minFree()
        var free = freeBytes()
        let wantedFree = floor + Int64(configuration.blockSize) * 4
        var evicted = 0
        if (lowWater.map { total > $0 } ?? false) || free < wantedFree {
            blocks.sort { $0.used < $1.used }
            for block in blocks {
                let over = lowWater.map { total > $0 } ?? false
                guard over || free < wantedFree else { break }
                if unlink(block.path) == 0 || errno == ENOENT {
                    total -= block.size; free += block.size; evicted += 1
                }
            }
        }
        state.withLock { $0.used = total; $0.counted = true; $0.counters.evicted += evicted }
        if evicted > 0 { logger.info("data cache: evicted \(evicted) blocks; \(total) bytes held in \(root)") }
    }

    /// Calls `body` for every regular file under `dir`.
    static func walk(_ dir: String, _ body: (String, stat) -> Void) {
        guard let handle = opendir(dir) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFDIR { walk(path, body) } else if st.st_mode & S_IFMT == S_IFREG { body(path, st) }
        }
    }

    /// Temporaries older than ten minutes were left by a mount that stopped while writing.
    static func removeStaleTemporaries(_ dir: String) {
        let old = time(nil) - 600
        walk(dir) { path, st in if st.st_mtim.tv_sec < old { unlink(path) } }
    }
}
