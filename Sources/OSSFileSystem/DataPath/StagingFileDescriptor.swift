import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// An anonymous local file holding one handle's staged bytes: created with `O_EXCL` and mode 0600 in
/// the staging directory and unlinked at once, so nothing is left behind whatever happens (crash
/// included); the descriptor closes when the last holder lets go (an upload in flight keeps it
/// open after `StagedFile.discard()`). The only place the data path calls the C file API; every
/// failure is an `FSError` carrying the errno.
final class StagingFileDescriptor: Sendable {
    let fd: Int32

    /// A path other code (the store's upload) can open to read these bytes while this object lives.
    var path: String { "/proc/self/fd/\(fd)" }

    /// Creates the file in `directory`.
    init(directory: String) throws(FSError) {
        let name = ".ossfuse-staging-\(getpid())-\(UUID().uuidString)"
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FSError(errno) }
        unlink(path)
        self.fd = fd
    }

    deinit { close(fd) }

    /// Writes all of `data` at `offset`.
    func write(_ data: Data, at offset: Int64) throws(FSError) {
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno; return
                }
                done += n
            }
        }
        if failure != 0 { throw FSError(failure) }
    }

    /// Reads up to `length` bytes at `offset` (fewer only at the end of the file).
    func read(at offset: Int64, length: Int) throws(FSError) -> Data {
        guard length > 0 else { return Data() }
        var data = Data(count: length)
        var failure: Int32 = 0
        var done = 0
        data.withUnsafeMutableBytes { buffer in
            while done < length {
                let n = pread(fd, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno; return
                }
                if n == 0 { return }
                done += n
            }
        }
        if failure != 0 { throw FSError(failure) }
        if done < length { data.removeSubrange(done..<length) }
        return data
    }

    /// Sets the file's length (zeros when it grows; the file stays sparse).
    func truncate(to size: Int64) throws(FSError) {
        while ftruncate(fd, off_t(size)) != 0 {
            if errno != EINTR { throw FSError(errno) }
        }
    }

    /// Bytes available to an unprivileged writer on the staging file system.
    func availableBytes() throws(FSError) -> Int64 {
        var stats = statvfs()
        guard fstatvfs(fd, &stats) == 0 else { throw FSError(errno) }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
