import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Supplies an upload body to libcurl's read callback: from memory, or from a file slice read with
/// `pread` straight into curl's buffer (a multi-GiB file is never held in memory).
final class BodySource {
    private enum Storage { case bytes(Data), file(fd: Int32, offset: Int64) }
    private let storage: Storage
    let length: Int64
    private(set) var position: Int64 = 0
    /// Set when reading the file failed.
    private(set) var readError: String?

    init(_ body: UploadBody) throws {
        switch body {
        case .bytes(let d):
            storage = .bytes(d); length = Int64(d.count)
        case .file(let path, let offset, let length):
            guard offset >= 0, length >= 0 else { throw TransportError(.localIO, "invalid file slice of \(path)") }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw TransportError(.localIO, "cannot open \(path): \(String(cString: strerror(errno)))") }
            var st = stat()
            if fstat(fd, &st) == 0, Int64(st.st_size) < offset + length {
                close(fd)
                throw TransportError(.localIO, "\(path) holds \(st.st_size) bytes, fewer than offset \(offset) + length \(length)")
            }
            storage = .file(fd: fd, offset: offset); self.length = length
        }
    }

    deinit { if case .file(let fd, _) = storage { close(fd) } }

    /// Copies up to `max` bytes into `buffer`; returns the count (0 at the end) or nil on a read error.
    func read(into buffer: UnsafeMutableRawPointer, max: Int) -> Int? {
        let want = Int(min(Int64(max), length - position))
        if want <= 0 { return 0 }
        switch storage {
        case .bytes(let d):
            let start = d.startIndex + Int(position)
            d.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), from: start..<(start + want))
            position += Int64(want)
            return want
        case .file(let fd, let offset):
            var done = 0
            while done < want {
                let n = pread(fd, buffer + done, want - done, off_t(offset + position + Int64(done)))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    readError = n == 0 ? "file ended early" : String(cString: strerror(errno))
                    return nil
                }
                done += n
            }
            position += Int64(done)
            return done
        }
    }

    /// Rewinds to `offset` (curl's seek callback); false when out of range.
    func seek(to offset: Int64) -> Bool {
        guard offset >= 0, offset <= length else { return false }
        position = offset
        return true
    }
}
