import Foundation

extension OSSFileSystem {
    /// Logs the end of a large upload (a multipart one: at or above `multipartThreshold`): size,
    /// parts, duration. Names the key, never data or credentials.
    func logLargeUpload(_ path: String, size: Int64, started: Date) {
        guard size >= configuration.multipartThreshold else { return }
        let parts = MultipartPlan(size: size, preferredPartSize: configuration.partSize).parts.count
        let seconds = Date().timeIntervalSince(started)
        log("upload \(keys.objectKey(path)): \(size) bytes, \(parts) parts, \(String(format: "%.1f", seconds)) s")
    }
}
