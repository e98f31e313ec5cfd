@preconcurrency import CFuse3
import Foundation
import OSSFileSystem

/// Why a mount could not be set up, in one sentence for the user.
public struct FUSESessionError: Error, Sendable, CustomStringConvertible {
    /// The sentence.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// One FUSE mount: creates the libfuse session, mounts it, runs the multi-threaded loop on a
/// thread of its own (never on Swift's cooperative pool), and tears everything down in order:
/// loop ends → replies still in flight finish → signal handlers removed → unmount → destroy.
public final class FUSESession: @unchecked Sendable {
    // @unchecked: `session` is set in `mount()` and cleared in `run()`'s teardown, both called
    // from the one thread that owns this object; libfuse itself synchronises the loop.
    private let dispatcher: FUSEDispatcher
    private let mountPoint: String
    private var session: OpaquePointer?
    private var arguments: FUSEArguments?
    private var userdata: Unmanaged<FUSEDispatcher>?

    /// Seconds to wait at shutdown for replies (e.g. uploads on release) still in flight.
    public var shutdownGracePeriod: TimeInterval = 120

    /// Seconds a termination signal waits for open files to upload before the loop ends anyway
    /// (`-o stop_timeout`); a second signal ends it at once.
    public var stopTimeout: TimeInterval = 30

    /// How the mount stopped, when a termination signal stopped it (set once `run()` returned).
    public private(set) var stopOutcome: StopOutcome?

    /// Called once, on the stop watcher's thread, when the first termination signal starts the
    /// stop (before the open files are uploaded): e.g. to tell systemd `STOPPING=1`.
    public var onStopping: (@Sendable (Int32) -> Void)?

    /// Prepares a mount of `fileSystem` at `mountPoint`; nothing happens until `mount()`. Every
    /// answered request is counted in `metrics` when given.
    public init(fileSystem: any FileSystemOperations, mountPoint: String, options: FUSEMountOptions,
                metrics: MountMetrics? = nil) {
        self.dispatcher = FUSEDispatcher(fileSystem: fileSystem, options: options, metrics: metrics)
        self.mountPoint = mountPoint
    }

    /// Signals that stop the mount (`GracefulStop`). Block them in the process's first thread
    /// before any other thread starts (every later thread inherits the mask): one watcher thread
    /// takes them with `sigtimedwait`.
    public static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Blocks `terminationSignals` in the calling thread (and so in threads it starts later).
    public static func blockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in terminationSignals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Creates the session, installs the signal handlers and mounts. After it returns the mount
    /// is live: the kernel queues requests until `run()` serves them. A `/dev/fd/N` mount point is
    /// served as handed in (`HandedInDevice`): nothing is mounted here.
    public func mount() throws(FUSESessionError) {
        let options = dispatcher.options
        let arguments = FUSEArguments(["ossfuse", "-o", options.kernelOptionString])
        var ops = LowLevelOperations.make()
        let userdata = Unmanaged.passRetained(dispatcher)
        let session = arguments.withFuseArgs { args in
            fuse_session_new(args, &ops, MemoryLayout<fuse_lowlevel_ops>.size, userdata.toOpaque())
        }
        guard let session else {
            userdata.release()
            throw FUSESessionError("cannot create the FUSE session (bad mount options?)")
        }
        GracefulStop.installHandlers()
        if fuse_session_mount(session, mountPoint) != 0 {
            fuse_session_destroy(session); userdata.release()
            throw FUSESessionError("cannot mount on \(mountPoint) (see the message above; is /dev/fuse usable?)")
        }
        self.session = session
        self.arguments = arguments
        self.userdata = userdata
        dispatcher.symlinkCache.attach(session)
        let kernelCache = dispatcher.symlinkCache
        dispatcher.fileSystem.setAttributeInvalidator { kernelCache.invalidateAttributes($0) }
        // A handed-in /dev/fd/N has no path here: its mounter owns those settings.
        if HandedInDevice.descriptor(mountPoint) != nil { return }
        ReadaheadTuning.apply(mountPoint: mountPoint, bytes: options.maxTransfer)
        if options.noSymFollow {
            do throws(FUSESessionError) { try BindRemount.applyNoSymFollow(mountPoint, readOnly: options.readOnly) } catch {
                teardown()
                throw error
            }
        }
    }

    /// Serves requests until the mount ends (`fusermount3 -u`, the handed-in device's parent
    /// unmounting, a termination signal, `exit()`), then tears down. A termination signal first
    /// uploads the open files (see `GracefulStop`, `stopOutcome`). Blocks the calling thread.
    /// Returns 0 or the stopping signal number for a normal end, a negative errno when the loop
    /// failed.
    @discardableResult
    public func run() -> Int32 {
        guard let session else { return -EINVAL }
        let box = LoopResult()
        let done = DispatchSemaphore(value: 0)
        let maxThreads = UInt32(max(2, dispatcher.options.maxThreads))
        let sessionPointer = SessionPointer(session)
        let stop = GracefulStop(fileSystem: dispatcher.fileSystem, session: sessionPointer, timeout: stopTimeout,
                                 onStopping: onStopping)
        let thread = Thread {
            // Termination signals stay blocked here (the watcher takes them); only the wake
            // signal, unblocked everywhere, interrupts this thread's wait.
            stop.loopStarted()
            let config = fuse_loop_cfg_create()
            fuse_loop_cfg_set_max_threads(config, maxThreads)
            fuse_loop_cfg_set_clone_fd(config, 0)
            box.value = fuse_session_loop_mt(sessionPointer.raw, config)
            stop.loopReturned()
            fuse_loop_cfg_destroy(config)
            done.signal()
        }
        thread.name = "fuse-loop"
        thread.stackSize = 1 << 20
        thread.start()
        stop.startWatching()
        done.wait()
        stopOutcome = stop.outcome
        // A stop cut short does not wait long for replies still in flight either.
        teardown(gracePeriod: stop.wasForced ? 2 : shutdownGracePeriod)
        if let stopOutcome, box.value >= 0 { return stopOutcome.signal }
        return box.value
    }

    /// Asks the loop to end (as a signal would); `run()` then returns.
    public func exit() {
        if let session { fuse_session_exit(session) }
    }

    private func teardown(gracePeriod: TimeInterval? = nil) {
        guard let session else { return }
        let left = dispatcher.inFlight.waitUntilIdle(timeout: gracePeriod ?? shutdownGracePeriod)
        if left > 0 { FUSELog.error("\(left) requests still unanswered at shutdown") }
        dispatcher.symlinkCache.detach()
        fuse_session_unmount(session)
        fuse_session_destroy(session)
        self.session = nil
        self.arguments = nil
        userdata?.release()
        userdata = nil
    }
}

/// The loop's return value, handed from the loop thread to `run()` after the semaphore.
private final class LoopResult: @unchecked Sendable {
    // @unchecked: written once by the loop thread before `done.signal()`, read after `wait()`.
    var value: Int32 = 0
}
