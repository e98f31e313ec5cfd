import FUSEBinding
import Foundation
import OSSFileSystem

/// The mounting process's work, in order: credentials, store, one checking request, file system,
/// kernel mount, "ready" to the waiting parent, then serving until unmounted.
struct MountRunner {
    let settings: MountSettings
    let mountPoint: String
    let reporter: ReadinessReporter

    /// Returns the process exit status.
    func run() -> Int32 {
        FUSESession.blockTerminationSignals()
        let log = LogSink()
        let session: FUSESession
        do throws(MountSettingsError) {
            if let logFile = settings.logFile { try LogSink.attach(logFile: logFile) }
            let key = try AccessKeyLoader.load(bucket: settings.bucket, passwdFile: settings.passwdFile)
            let requestLog = settings.debug ? log : nil
            let checker = try Backend.makeStore(settings, key: key, log: requestLog, quickCheck: true)
            let settings = self.settings
            try BlockingTask.run { () async throws(MountSettingsError) in try await Backend.check(checker, settings: settings) }
            let store = try Backend.makeStore(settings, key: key, log: requestLog)
            let fileSystem = OSSFileSystem(store: store,
                                           configuration: Backend.mountConfiguration(settings, mountPoint: mountPoint),
                                           logger: { log.write($0) })
            session = FUSESession(fileSystem: fileSystem, mountPoint: mountPoint, options: fuseOptions)
            do { try session.mount() } catch { throw MountSettingsError(error.description) }
        } catch {
            reporter.fail(error.description)
            return 1
        }
        reporter.ready()
        if !settings.foreground { Daemonizer.detach(logFile: settings.logFile) }
        log.write("mounted \(settings.bucket)\(settings.prefix.isEmpty ? "" : ":/" + settings.prefix) from \(settings.endpoint) on \(mountPoint)")
        let status = session.run()
        log.write("unmounted \(mountPoint)\(status > 0 ? " (signal \(status))" : "")")
        return status < 0 ? 1 : 0
    }

    private var fuseOptions: FUSEMountOptions {
        FUSEMountOptions(fileSystemName: "ossfuse:\(settings.bucket)", readOnly: settings.readOnly,
                         allowOther: settings.allowOther, noSymFollow: settings.noSymFollow,
                         negativeTimeout: settings.negativeTimeout, maxBackground: settings.maxBackground,
                         maxThreads: max(settings.parallelism, 8))
    }
}

/// Runs async work to completion from synchronous code on a thread that is not part of Swift's
/// cooperative pool (the main thread before the FUSE loop starts).
enum BlockingTask {
    static func run<E: Error>(_ body: @escaping @Sendable () async throws(E) -> Void) throws(E) {
        let box = ResultBox<E>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do throws(E) { try await body() } catch { box.error = error }
            done.signal()
        }
        done.wait()
        if let error = box.error { throw error }
    }

    private final class ResultBox<Failure: Error>: @unchecked Sendable {
        // @unchecked: written by the task before `signal()`, read after `wait()`.
        var error: Failure?
    }
}
