import Foundation

extension OSSFileSystem {
    /// Uploads at or above this size are logged when they end (size, parts, duration).
    static let loggedUploadSize: Int64 = 64 << 20

    /// Logs the end of a large upload at close: size, parts, duration. Names the key, never data.
    func logLargeUpload(_ path: String, size: Int64, started: Date) {
        guard size >= Self.loggedUploadSize else { return }
        let parts = size >= configuration.multipartThreshold ? MultipartPlan(size: size, preferredPartSize: configuration.partSize).parts.count : 1
        let seconds = Date().timeIntervalSince(started)
        log("upload \(keys.objectKey(path)): \(size) bytes, \(parts) part(s), \(String(format: "%.1f", seconds)) s")
    }
}
