import Foundation

/// A fresh staging directory for one test, with the checks that nothing was left in it.
struct DataPathStagingDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-datapath-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Names still in the directory.
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path) }

    /// Descriptors of this process still open on a file created in the directory (deleted or not).
    func openDescriptors() -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
            .filter { $0.hasPrefix(path + "/") }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
