import ArgumentParser
import Foundation

/// `ossfuse [options] BUCKET[:/PREFIX] MOUNTPOINT`: argument handling only; the work is in
/// `MountRunner` (run in a forked child unless `-f`).
struct OSSFuseCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ossfuse",
        abstract: "Mount an Alibaba Cloud OSS bucket (or an OSS-compatible endpoint) with FUSE; OSS symlinks are POSIX symlinks.",
        discussion: MountOptionsHelp.text,
        version: "ossfuse \(version)")

    @Flag(name: .customShort("f"), help: "Stay in the foreground (SIGINT/SIGTERM unmount).")
    var foreground = false

    @Flag(name: .customShort("d"), help: "Debug log: one line per OSS request (operation, key, status, request id, duration).")
    var debug = false

    @Option(name: .customShort("o", allowingJoined: true), help: ArgumentHelp("Mount options, comma separated; repeatable (see MOUNT OPTIONS).", valueName: "opt[,opt...]"))
    var options: [String] = []

    @Argument(help: ArgumentHelp("The bucket, optionally with a key prefix to mount instead of the bucket root.", valueName: "BUCKET[:/PREFIX]"))
    var source: String

    @Argument(help: ArgumentHelp("An existing directory, or /dev/fd/N: a /dev/fuse descriptor a parent has mounted.", valueName: "MOUNTPOINT"))
    var mountPoint: String

    func settings() throws -> MountSettings {
        do throws(MountSettingsError) {
            let (bucket, prefix) = try MountSettings.parseSource(source)
            var settings = MountSettings(bucket: bucket, prefix: prefix, mountPoint: mountPoint)
            settings.foreground = foreground
            settings.debug = debug
            try MountOptionParser.apply(options, to: &settings)
            return settings
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        _ = try settings()
    }

    func run() throws {
        let settings = try settings()
        let absoluteMountPoint: String
        do throws(MountSettingsError) {
            try settings.checkCombinations()
            absoluteMountPoint = try MountPointCheck.validate(settings.mountPoint)
            // Refuse a world-readable passwd file (and other credential mistakes) before forking.
            try settings.connection.validate(passwdFile: settings.passwdFile)
            if settings.connection.credentialsDirectory == nil && settings.connection.credentialProcess == nil
                && settings.connection.ramRole == nil {
                _ = try AccessKeyLoader.load(bucket: settings.bucket, passwdFile: settings.passwdFile)
            }
        } catch {
            printToStandardError("ossfuse: \(error.description)\n")
            throw ExitCode(1)
        }
        let reporter = settings.foreground ? ReadinessReporter.foreground() : Daemonizer.fork()
        let status = MountRunner(settings: settings, mountPoint: absoluteMountPoint, reporter: reporter).run()
        throw ExitCode(status)
    }
}
