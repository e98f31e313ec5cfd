import CFuse3
import Foundation
import OSSFileSystem

/// The object libfuse hands back to every callback (as session userdata): the file system, the
/// binding's settings, and the count of replies still in flight.
final class FUSEDispatcher: Sendable {
    let fileSystem: any FileSystemOperations
    let options: FUSEMountOptions
    let inFlight = InFlightRequests()
    let symlinkCache = KernelCacheInvalidator()
    /// Where answered requests are counted (`-o metrics`), nil when nobody asks.
    let metrics: MountMetrics?

    init(fileSystem: any FileSystemOperations, options: FUSEMountOptions, metrics: MountMetrics? = nil) {
        self.fileSystem = fileSystem
        self.options = options
        self.metrics = metrics
    }

    /// The dispatcher behind a request's session.
    static func of(_ req: fuse_req_t) -> FUSEDispatcher {
        Unmanaged<FUSEDispatcher>.fromOpaque(fuse_req_userdata(req)!).takeUnretainedValue()
    }

    /// Runs `body` in a detached task and answers the request with `fuse_reply_err` if it throws.
    /// `body` must send the success reply itself, as its last step. Everything borrowed from
    /// libfuse must already be copied into `body`'s captures.
    func spawn(_ request: FUSERequest,
               _ body: @escaping @Sendable (any FileSystemOperations) async throws(FSError) -> Void) {
        inFlight.enter()
        let fileSystem = self.fileSystem
        let inFlight = self.inFlight
        Task.detached {
            defer { inFlight.leave() }
            do throws(FSError) {
                try await body(fileSystem)
            } catch {
                request.replyError(error.errno)
            }
        }
    }
}

extension String {
    /// A name from libfuse, or nil when it is not valid UTF-8 (OSS keys are UTF-8).
    init?(fuseName pointer: UnsafePointer<CChar>?) {
        guard let pointer, let value = String(validatingCString: pointer) else { return nil }
        self = value
    }
}
