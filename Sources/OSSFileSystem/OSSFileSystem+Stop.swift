import Foundation
import OSSProtocol

/// What `flushAll()` did: files uploaded, files whose upload failed (each logged by name).
public struct FlushReport: Sendable, Equatable {
    /// Open files whose unsaved writes are now stored.
    public var uploaded: Int
    /// Open files whose unsaved writes could not be stored.
    public var failed: Int
    /// A report of `uploaded` and `failed` files.
    public init(uploaded: Int = 0, failed: Int = 0) { self.uploaded = uploaded; self.failed = failed }
}

extension OSSFileSystem {
    /// Uploads every open file holding unsaved writes, as its close would (in parallel, bounded
    /// by `parallelism`), for a stop requested while files are still open (SIGTERM). A failure is
    /// logged with the file's key and counted; the other files are still uploaded. The handles
    /// stay open: a later close uploads only what was written after this.
    public func flushAll() async -> FlushReport {
        let dirty = handles.dirtyWriters()
        if dirty.isEmpty { return FlushReport() }
        log("stopping: uploading \(dirty.count) open file\(dirty.count == 1 ? "" : "s") with unsaved writes")
        let outcomes = (try? await boundedMap(dirty, limit: configuration.parallelism) { open -> Bool in
            do throws(FSError) {
                try await self.upload(open)
                return true
            } catch {
                // `upload` logged the cause; say that this file is lost to the stop.
                self.log("stopping: \(self.keys.objectKey(open.path)) was not uploaded (\(error))")
                return false
            }
        }) ?? []
        let uploaded = outcomes.filter { $0 }.count
        return FlushReport(uploaded: uploaded, failed: dirty.count - uploaded)
    }
}
