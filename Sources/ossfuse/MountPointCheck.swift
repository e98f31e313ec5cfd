import FUSEBinding
import Foundation
@preconcurrency import Glibc

/// Checks a mount point before anything is started: exists, is a directory, is not a dead or
/// existing FUSE mount. Returns the absolute path. `/dev/fd/N` (a `/dev/fuse` descriptor a parent
/// has mounted, see `HandedInDevice`) is returned as is once N is an open FUSE device.
enum MountPointCheck {
    static func validate(_ path: String) throws(MountSettingsError) -> String {
        if let fd = HandedInDevice.descriptor(path) {
            if let problem = HandedInDevice.problem(with: fd) { throw MountSettingsError("cannot serve \(path): \(problem)") }
            return path
        }
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            switch code {
            case ENOENT: throw MountSettingsError("mount point \(path) does not exist")
            case ENOTCONN:
                throw MountSettingsError("mount point \(path) is a dead FUSE mount; run: fusermount3 -u \(path)")
            default: throw MountSettingsError("cannot use mount point \(path): \(String(cString: strerror(code)))")
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw MountSettingsError("mount point \(path) is not a directory")
        }
        guard let resolved = realpath(path, nil) else {
            throw MountSettingsError("cannot resolve mount point \(path): \(String(cString: strerror(errno)))")
        }
        defer { free(resolved) }
        let absolute = String(cString: resolved)
        if let type = fuseMountType(at: absolute) {
            throw MountSettingsError("\(path) is already a \(type) mount; unmount it first (fusermount3 -u \(path))")
        }
        return absolute
    }

    /// The file system type if `path` is itself the mount point of a FUSE mount.
    private static func fuseMountType(at path: String) -> String? {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = unescape(String(fields[4]))
            let type = String(fields[dash + 1])
            if mountPoint == path && type.hasPrefix("fuse") { return type }
        }
        return nil
    }

    /// mountinfo escapes space, tab, newline and backslash as octal `\040` etc.
    private static func unescape(_ field: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value); utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
