import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Large response-body buffers recycled between GETs. A prefetching reader asks for the same few
/// sizes (1–16 MiB ranges) again and again; a fresh allocation of that size is a fresh `mmap` whose
/// every page faults on first touch (~256 faults per MiB), which showed up as a large share of the
/// read path's time. Buffers come in power-of-two classes; a body whose length is known up front
/// (Content-Length) is written straight into one, and handed out as `Data` that gives the buffer
/// back when the last copy of that `Data` goes away. At most `maxRetainedBytes` are kept idle while
/// reads go on (a prefetch window of 8 × 8 MiB plus the chunks being consumed needs about 96 MiB to
/// reach steady state without faults), and at most `idleRetainedBytes` once every buffer has been
/// back for `idleGrace`. The grace keeps the buffers of one file for the next: `cp -r` or `cat *`
/// of many large files otherwise faulted a whole window in again per file (a fifth of the CPU time
/// reading ten 100 MiB files, where page faults are dear, as in a VM).
final class ResponseBufferPool: Sendable {
    /// The process-wide pool.
    static let shared = ResponseBufferPool()
    /// Bodies smaller than this are left to `Data` (the fault cost is small there).
    static let minPooled = 256 << 10
    /// Bodies larger than this are left to `Data` (rare; not worth holding idle).
    static let maxPooled = 16 << 20
    /// Size of a transparent huge page on x86-64 and arm64 (4 KiB base pages).
    static let hugePage = 2 << 20
    /// Upper bound of idle bytes kept for reuse.
    let maxRetainedBytes: Int
    /// Upper bound of idle bytes kept once no buffer has been lent out for `idleGrace`.
    let idleRetainedBytes: Int
    /// How long buffers stay after the last one came back, before the pool shrinks to `idleRetainedBytes`.
    let idleGrace: Duration

    private struct State {
        /// Idle buffers per class, as addresses (plain integers cross the lock as `Sendable`).
        var free: [Int: [UInt]] = [:]
        var retained = 0
        /// Bytes handed out by `take` and not yet given back.
        var lent = 0
        /// Bumped whenever the pool stops being idle: a deferred trim of an older idle period is void.
        var idlePeriod = 0

        /// Removes idle buffers, largest first, until at most `limit` bytes are kept; returns them.
        mutating func trim(to limit: Int) -> [UInt] {
            var out: [UInt] = []
            for c in free.keys.sorted(by: >) where retained > limit {
                while retained > limit, let a = free[c]?.popLast() {
                    out.append(a)
                    retained -= c
                }
            }
            return out
        }
    }

    private let state = Mutex(State())

    init(maxRetainedBytes: Int = 128 << 20, idleRetainedBytes: Int = 16 << 20, idleGrace: Duration = .seconds(10)) {
        self.maxRetainedBytes = maxRetainedBytes
        self.idleRetainedBytes = min(idleRetainedBytes, maxRetainedBytes)
        self.idleGrace = idleGrace
    }

    /// Bytes kept idle for reuse.
    var idleBytes: Int { state.withLock { $0.retained } }
    /// Bytes handed out and not yet given back.
    var lentBytes: Int { state.withLock { $0.lent } }

    /// The capacity class serving `length` bytes, or nil when `length` is not pooled.
    static func sizeClass(for length: Int) -> Int? {
        guard length >= minPooled, length <= maxPooled else { return nil }
        var c = minPooled
        while c < length { c <<= 1 }
        return c
    }

    /// A buffer of `capacity` bytes (a value from `sizeClass(for:)`), reused when one is idle.
    func take(capacity: Int) -> UnsafeMutableRawPointer {
        let reused = state.withLock { s -> UInt? in
            if s.lent == 0 { s.idlePeriod += 1 }
            s.lent += capacity
            guard let p = s.free[capacity]?.popLast() else { return nil }
            s.retained -= capacity
            return p
        }
        if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
        // Huge pages where they fit: one fault per 2 MiB instead of 512, and cheaper page pinning
        // when the kernel copies a FUSE reply out of the buffer.
        let huge = capacity >= Self.hugePage
        let p = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: huge ? Self.hugePage : 4096)
        if huge { _ = madvise(p, capacity, MADV_HUGEPAGE) }
        return p
    }

    /// Returns a buffer from `take(capacity:)`; freed at once when the pool already holds enough.
    func give(_ p: UnsafeMutableRawPointer, capacity: Int) {
        let address = UInt(bitPattern: p)
        let (released, idlePeriod) = state.withLock { s -> ([UInt], Int?) in
            s.lent -= capacity
            s.free[capacity, default: []].append(address)
            s.retained += capacity
            let nowIdle = s.lent == 0
            if nowIdle && idleGrace <= .zero { return (s.trim(to: idleRetainedBytes), nil) }
            return (s.trim(to: maxRetainedBytes), nowIdle ? s.idlePeriod : nil)
        }
        Self.deallocate(released)
        if let idlePeriod {
            let (seconds, attoseconds) = idleGrace.components
            let delay = Double(seconds) + Double(attoseconds) / 1e18
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) { [weak self] in
                self?.trimAfterGrace(idlePeriod)
            }
        }
    }

    /// Shrinks to `idleRetainedBytes` if the pool has stayed idle since `idlePeriod` began.
    private func trimAfterGrace(_ idlePeriod: Int) {
        Self.deallocate(state.withLock { s in
            s.lent == 0 && s.idlePeriod == idlePeriod ? s.trim(to: idleRetainedBytes) : []
        })
    }

    private static func deallocate(_ addresses: [UInt]) {
        for a in addresses { UnsafeMutableRawPointer(bitPattern: a)?.deallocate() }
    }
}

/// One buffer lent by a `ResponseBufferPool`, given back when the last reference goes away: this
/// object, or any `Data` made by `data(count:)`. A body is written into it while those `Data` are
/// read, each covering only bytes already written and never written again.
final class PooledBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    private let pool: ResponseBufferPool

    /// A buffer of `capacity` bytes (a value from `ResponseBufferPool.sizeClass(for:)`).
    init(capacity: Int, pool: ResponseBufferPool = .shared) {
        self.base = pool.take(capacity: capacity)
        self.capacity = capacity
        self.pool = pool
    }

    deinit { pool.give(base, capacity: capacity) }

    /// The first `count` bytes, as `Data` that keeps the buffer lent until it (and every copy or
    /// slice of it) is released.
    func data(count: Int) -> Data {
        Data(bytesNoCopy: base, count: count, deallocator: .custom { [self] _, _ in withExtendedLifetime(self) {} })
    }
}
