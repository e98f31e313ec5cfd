import CFuse3
import Foundation
import OSSFileSystem
import Synchronization

/// One kernel request waiting for its single reply.
///
/// Wraps the libfuse `fuse_req_t` so it can move into the Swift task that answers it. Every
/// `reply…` method claims the request first: a second reply is a programming error, logged and
/// dropped instead of handing libfuse a freed request.
final class FUSERequest: @unchecked Sendable {
    // @unchecked: `fuse_req_t` may be answered from any thread; `answered` makes it exactly once.
    private let raw: fuse_req_t
    private let answered = Atomic<Bool>(false)
    /// The callback that received the request (`#function`, e.g. `lookup(_:_:_:)`), for metrics.
    private let operation: StaticString
    private let metrics: MountMetrics?
    private let started: UInt64

    /// Wraps `raw`; `operation` defaults to the name of the callback creating it.
    init(_ raw: fuse_req_t, operation: StaticString = #function) {
        self.raw = raw
        self.operation = operation
        self.metrics = FUSEDispatcher.of(raw).metrics
        self.started = metrics == nil ? 0 : DispatchTime.now().uptimeNanoseconds
    }

    /// Caller identity, read from the request while it is still live.
    var context: CallerContext {
        guard let ctx = fuse_req_ctx(raw) else { return CallerContext() }
        return CallerContext(uid: ctx.pointee.uid, gid: ctx.pointee.gid, pid: ctx.pointee.pid)
    }

    private func claim(_ what: StaticString, errno: Int32 = 0) -> Bool {
        let (exchanged, _) = answered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        if !exchanged { FUSELog.error("request answered twice (\(what)); second reply dropped") }
        if exchanged, let metrics {
            let name = operation.description.prefix { $0 != "(" }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            metrics.recordOperation(String(name), errno: errno, seconds: seconds)
        }
        return exchanged
    }

    func replyError(_ errno: Int32) {
        guard claim("err", errno: errno) else { return }
        _ = fuse_reply_err(raw, errno)
    }

    func replyNone() {
        guard claim("none") else { return }
        fuse_reply_none(raw)
    }

    func replyEntry(_ entry: EntryReply) {
        guard claim("entry") else { return }
        var param = entry.cEntryParam
        _ = fuse_reply_entry(raw, &param)
    }

    /// A negative entry: the kernel caches "no such name" for `timeout` seconds.
    func replyNegativeEntry(timeout: Double) {
        guard claim("negative entry") else { return }
        var param = fuse_entry_param()
        param.ino = 0
        param.entry_timeout = timeout
        _ = fuse_reply_entry(raw, &param)
    }

    func replyCreate(_ entry: EntryReply, handle: HandleNumber, directIO: Bool) {
        guard claim("create") else { return }
        var param = entry.cEntryParam
        var info = fuse_file_info()
        info.fh = handle
        info.direct_io = directIO ? 1 : 0
        _ = fuse_reply_create(raw, &param, &info)
    }

    func replyAttributes(_ attributes: FileAttributes, timeout: Double) {
        guard claim("attr") else { return }
        var st = attributes.cStat
        _ = fuse_reply_attr(raw, &st, timeout)
    }

    func replyReadlink(_ text: String) {
        guard claim("readlink") else { return }
        _ = text.withCString { fuse_reply_readlink(raw, $0) }
    }

    func replyOpen(handle: HandleNumber, keepCache: Bool, directIO: Bool) {
        guard claim("open") else { return }
        var info = fuse_file_info()
        info.fh = handle
        info.keep_cache = keepCache ? 1 : 0
        info.direct_io = directIO ? 1 : 0
        _ = fuse_reply_open(raw, &info)
    }

    func replyWrite(_ count: Int) {
        guard claim("write") else { return }
        metrics?.recordBytes(written: count)
        _ = fuse_reply_write(raw, count)
    }

    func replyBuffer(_ data: Data) {
        guard claim("buf") else { return }
        if operation.description.hasPrefix("read(") { metrics?.recordBytes(read: data.count) }
        _ = data.withUnsafeBytes { bytes in
            fuse_reply_buf(raw, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
    }

    func replyBuffer(_ bytes: UnsafeRawBufferPointer) {
        guard claim("buf") else { return }
        if operation.description.hasPrefix("read(") { metrics?.recordBytes(read: bytes.count) }
        _ = fuse_reply_buf(raw, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }

    func replyStatfs(_ stats: FileSystemStatistics) {
        guard claim("statfs") else { return }
        var st = stats.cStatvfs
        _ = fuse_reply_statfs(raw, &st)
    }

    func replyXattrSize(_ size: Int) {
        guard claim("xattr") else { return }
        _ = fuse_reply_xattr(raw, size)
    }

    /// Adds one directory entry to `buffer` (via libfuse); returns the space it needs.
    /// Does not answer the request, so it is safe to call before the final reply.
    func addDirectoryEntry(_ buffer: UnsafeMutableRawBufferPointer, name: String,
                           attributes: FileAttributes, offset: UInt64) -> Int {
        var st = attributes.cStat
        return name.withCString { cName in
            fuse_add_direntry(raw, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count,
                              cName, &st, off_t(truncatingIfNeeded: offset))
        }
    }

    /// Adds one readdirplus entry to `buffer`; returns the space it needs.
    func addDirectoryEntryPlus(_ buffer: UnsafeMutableRawBufferPointer, name: String,
                               entry: fuse_entry_param, offset: UInt64) -> Int {
        var param = entry
        return name.withCString { cName in
            fuse_add_direntry_plus(raw, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count,
                                   cName, &param, off_t(truncatingIfNeeded: offset))
        }
    }
}
