import Foundation

/// What a shell command run by the mount tests printed and how it ended.
public struct CommandResult: Sendable, CustomStringConvertible {
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
    /// Exit status, or 128 + signal when it was killed (e.g. after the timeout).
    public var status: Int32
    /// Whether the status is 0.
    public var succeeded: Bool { status == 0 }
    /// Status and both outputs, for assertion messages.
    public var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs programs for mount tests: real binaries, output captured through files (no pipe
/// deadlocks), bounded by a timeout so a hung mount fails a test instead of hanging it.
public enum MountCommand {
    /// Directory of the built executables: `OSSFUSE_BIN_DIR`, else `<package root>/.build/debug`.
    public static var binaryDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["OSSFUSE_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        // Sources/TestSupport/MountCommand.swift -> package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug")
    }

    /// The built `ossfuse` executable.
    public static var ossfuseBinary: URL { binaryDirectory.appendingPathComponent("ossfuse") }

    /// Runs `/bin/bash -c command` in `directory`; never throws for a failing command.
    public static func shell(_ command: String, in directory: String? = nil, environment: [String: String] = [:],
                             timeout: TimeInterval = 300) throws -> CommandResult {
        try run("/bin/bash", ["-c", command], in: directory, environment: environment, timeout: timeout)
    }

    /// Runs an executable with arguments, waits for it (at most `timeout` seconds, then SIGKILL).
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> CommandResult {
        let started = try start(executable, arguments, in: directory, environment: environment)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while started.process.isRunning && Date() < deadline { usleep(10_000) }
        if started.process.isRunning {
            kill(started.process.processIdentifier, SIGKILL)
            // Bounded: Foundation may never notice the end while a descendant holds its descriptors.
            let killDeadline = Date(timeIntervalSinceNow: 10)
            while started.process.isRunning && Date() < killDeadline { usleep(10_000) }
        }
        return started.result()
    }

    /// A running program whose output goes to temporary files.
    public final class Started: @unchecked Sendable {
        // @unchecked: used from one test thread at a time.
        /// The running program.
        public let process: Process
        let stdoutURL: URL
        let stderrURL: URL

        init(process: Process, stdoutURL: URL, stderrURL: URL) {
            self.process = process; self.stdoutURL = stdoutURL; self.stderrURL = stderrURL
        }

        /// Standard error so far (complete once the process exited).
        public var stderrText: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
        /// Standard output so far.
        public var stdoutText: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

        /// Output and status; call after the process exited.
        public func result() -> CommandResult {
            let status: Int32 = process.isRunning ? 128 + SIGKILL
                : process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
            let result = CommandResult(stdout: stdoutText, stderr: stderrText, status: status)
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
            return result
        }
    }

    /// Starts a program without waiting for it.
    public static func start(_ executable: String, _ arguments: [String], in directory: String? = nil,
                             environment: [String: String] = [:]) throws -> Started {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (name, value) in environment { env[name] = value }
        process.environment = env
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-cmd-\(UUID().uuidString)")
        let stdoutURL = base.appendingPathExtension("out"), stderrURL = base.appendingPathExtension("err")
        for url in [stdoutURL, stderrURL] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// Single-quotes a string for bash.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
