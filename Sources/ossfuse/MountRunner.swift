import FUSEBinding
import Foundation
import Logging
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
        let log: LogSink
        do throws(MountSettingsError) { log = try LogSink.open(settings) } catch {
            reporter.fail(error.description)
            return 1
        }
        // Every module logs through swift-log by label; all of it goes to this mount's sink.
        LoggingSystem.bootstrap { _ in LogSinkHandler(sink: log) }
        let session: FUSESession
        let notify = SystemdNotify()
        // Logged once mounted: a failed start says one line only.
        var budgetLine = ""
        var listener: MetricsListener?
        do throws(MountSettingsError) {
            let credentials = try CredentialsSetup.provider(settings)
            let checker = try Backend.makeStore(settings, credentials: credentials, log: log, quickCheck: true)
            let settings = self.settings
            try BlockingTask.run { () async throws(MountSettingsError) in try await Backend.check(checker, settings: settings) }
            let metrics = settings.metrics == nil ? nil : MountMetrics()
            if let address = settings.metrics, let metrics {
                listener = try MetricsListener(address, metrics: metrics, health: HealthProbe.make(checker, settings: settings))
            }
            let store = try Backend.makeStore(settings, credentials: credentials, log: log, metrics: metrics)
            // A handed-in /dev/fd/N has no known path: absolute link texts are then taken as
            // pointing outside the mount.
            let linkRoot = HandedInDevice.descriptor(mountPoint) == nil ? mountPoint : ""
            let requested = Backend.mountConfiguration(settings, mountPoint: linkRoot)
            let budget = MemoryBudget.read(root: ProcessInfo.processInfo.environment["OSSFUSE_CGROUP_ROOT"] ?? "/sys/fs/cgroup")
            budgetLine = budget.describe(requested)
            let fileSystem = OSSFileSystem(store: store, configuration: budget.applied(to: requested))
            metrics?.observe { fileSystem.statistics() }
            // 0: no cgroup memory limit, so no budget.
            metrics?.setGauge("ossfuse_memory_budget_bytes", help: "Memory budget of caches and buffers (half the cgroup limit; 0: none)",
                              value: Double(budget.bytes ?? 0))
            session = FUSESession(fileSystem: fileSystem, mountPoint: mountPoint, options: fuseOptions, metrics: metrics)
            session.stopTimeout = settings.stopTimeout
            session.onStopping = { _ in notify.send("STOPPING=1") }
            do { try session.mount() } catch { throw MountSettingsError(error.description) }
        } catch {
            // On the terminal (or to the waiting parent), and in the log: a boot-time fstab mount
            // has no terminal.
            if log.destination == .syslog || settings.logFile != nil { log.error(error.description) }
            reporter.fail(error.description)
            return 1
        }
        reporter.ready()
        if !settings.foreground { Daemonizer.detach(logFile: settings.logFile) }
        if let listener, let address = settings.metrics {
            listener.start()
            log.info("serving /metrics and /health on http://\(address)")
        }
        log.info(budgetLine)
        let place = HandedInDevice.descriptor(mountPoint) == nil ? mountPoint : "the FUSE device handed in as \(mountPoint)"
        log.info("mounted \(settings.bucket)\(settings.prefix.isEmpty ? "" : ":/" + settings.prefix) from \(settings.endpoint) on \(place)")
        // systemd's Type=notify: the mount is live (and the metrics listener serving).
        notify.send("READY=1\nSTATUS=mounted \(settings.bucket) on \(mountPoint)")
        let status = session.run()
        log.info("unmounted \(mountPoint)\(status > 0 ? " (signal \(status))" : "")")
        if let stop = session.stopOutcome, !stop.isComplete {
            log.error("stopped with unsaved writes lost (see the lines above)")
            return 1
        }
        return status < 0 ? 1 : 0
    }

    private var fuseOptions: FUSEMountOptions {
        FUSEMountOptions(fileSystemName: "ossfuse:\(settings.bucket)", readOnly: settings.readOnly,
                         allowOther: settings.allowOther, noSymFollow: settings.noSymFollow,
                         maxBackground: settings.maxBackground,
                         maxThreads: max(settings.parallelism, 8),
                         directIO: settings.directIOAlways ? .always : .writeOnly)
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
