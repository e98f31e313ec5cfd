import Foundation

/// Raises the kernel's read-ahead window of a FUSE mount. The kernel caps a FUSE mount's
/// read-ahead at its backing device's `read_ahead_kb` (128 KiB by default) whatever `init`
/// asks for; reads of 1 MiB need that raised too. Best effort: needs root, failure is harmless.
enum ReadaheadTuning {
    /// Writes `bytes / 1024` to /sys/class/bdi/MAJOR:MINOR/read_ahead_kb of the mount at `mountPoint`.
    /// Reads the device number from /proc/self/mountinfo: touching the mount itself before the
    /// loop serves requests would wait for an `init` nobody answers.
    static func apply(mountPoint: String, bytes: Int) {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        let escaped = mountPoint.replacingOccurrences(of: "\\", with: "\\134").replacingOccurrences(of: " ", with: "\\040")
            .replacingOccurrences(of: "\t", with: "\\011").replacingOccurrences(of: "\n", with: "\\012")
        var device: String?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4 && fields[4] == escaped { device = String(fields[2]) }
        }
        guard let device else { return }
        let path = "/sys/class/bdi/\(device)/read_ahead_kb"
        try? "\(bytes / 1024)\n".write(toFile: path, atomically: false, encoding: .utf8)
    }
}
