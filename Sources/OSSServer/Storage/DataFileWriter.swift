#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import OSSProtocol

/// What a finished body write produced.
struct WrittenData: Sendable {
    var id: String
    var size: Int64
    /// Binary MD5 of the bytes written (nil when hashing was off).
    var md5: Data?
    var crc64: UInt64
}

/// Receives bytes into a new temp data file (or onto the end of an appendable data file), computing
/// MD5 and CRC-64 as they arrive; `finish()` fsyncs. The caller then installs/commits the file.
// @unchecked: one request task owns a writer and awaits each call before the next, so no two
// threads ever touch it at once; the thread pool only provides the thread.
final class DataFileWriter: @unchecked Sendable {
    let id: String
    private var fd: Int32
    private let md5: Digest.Stream?
    private var crc: CRC64
    private(set) var size: Int64
    private var closed = false
    private let isTemp: Bool
    private let directory: DataDirectory

    /// Starts a new temp file in `directory`.
    init(directory: DataDirectory, hashing: Bool = true) throws {
        self.directory = directory
        id = DataDirectory.newId()
        fd = open(directory.tempPath(for: id), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError("create temp file", errno) }
        md5 = hashing ? Digest.Stream(.md5) : nil
        crc = CRC64()
        size = 0
        isTemp = true
    }

    /// Continues an existing data file of `length` bytes whose CRC is `crc` (AppendObject).
    /// Bytes past `length` (left by an interrupted earlier append) are cut off first.
    init(directory: DataDirectory, appendingTo id: String, length: Int64, crc existing: UInt64) throws {
        self.directory = directory
        self.id = id
        fd = open(directory.path(for: id), O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open data for append", errno) }
        guard ftruncate(fd, off_t(length)) == 0, lseek(fd, off_t(length), SEEK_SET) >= 0 else {
            let code = errno
            close(fd)
            throw FileError("truncate for append", code)
        }
        md5 = nil
        crc = CRC64(value: existing)
        size = length
        isTemp = false
    }

    /// Writes bytes at the end.
    func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { try write($0) }
    }

    /// Writes bytes at the end.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        md5?.update(bytes)
        crc.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("write data", errno)
            }
            offset += n
        }
        size += Int64(bytes.count)
    }

    /// Appends the first `length` bytes of the file at `path` whose CRC-64 is `sourceCRC`; the MD5
    /// (if any) is not updated.
    func copy(path: String, length: Int64, crc sourceCRC: UInt64) throws {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileError("open part", errno) }
        defer { close(input) }
        var remaining = length
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while remaining > 0 {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, min($0.count, Int(remaining))) }
            if n < 0 { if errno == EINTR { continue }; throw FileError("read part", errno) }
            if n == 0 { throw FileError("part shorter than recorded", EIO) }
            try buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < n {
                    let w = Glibc.write(fd, raw.baseAddress! + offset, n - offset)
                    if w < 0 { if errno == EINTR { continue }; throw FileError("write data", errno) }
                    offset += w
                }
            }
            remaining -= Int64(n)
        }
        crc = CRC64(value: CRC64.combine(crc.value, sourceCRC, length2: length))
        size += length
    }

    /// Appends `length` bytes read from `source` at `offset`, hashing them like received bytes.
    func copy(fd source: Int32, offset: Int64, length: Int64) throws {
        var position = offset
        var remaining = length
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while remaining > 0 {
            let n = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress, min($0.count, Int(remaining)), off_t(position)) }
            if n < 0 { if errno == EINTR { continue }; throw FileError("read source", errno) }
            if n == 0 { throw FileError("source shorter than recorded", EIO) }
            try buffer.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            position += Int64(n)
            remaining -= Int64(n)
        }
    }

    /// Flushes to disk and closes; returns what was written.
    func finish() throws -> WrittenData {
        guard !closed else { throw FileError("writer already closed", EBADF) }
        closed = true
        let syncResult = fsync(fd)
        let code = errno
        close(fd)
        guard syncResult == 0 else { throw FileError("fsync data", code) }
        return WrittenData(id: id, size: size, md5: md5?.finish(), crc64: crc.value)
    }

    /// Closes and deletes the temp file (no effect on an append target beyond the cut-off bytes).
    func abandon() {
        if !closed {
            closed = true
            close(fd)
        }
        if isTemp { directory.removeTemp(id) }
    }
}
