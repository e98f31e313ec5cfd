import Foundation

/// `-o credential_process=CMD`: runs `CMD` with `/bin/sh -c` and reads the credentials document
/// (`CredentialsDocument`, the format of ossfs 2.0's option of the same name) from its standard
/// output. A command that fails, prints something else or runs longer than `timeout` is an error
/// (its standard error is quoted, never its output: that holds secrets).
public struct CredentialProcessSource: CredentialSource {
    /// The shell command.
    public let command: String
    /// Seconds the command may run (ossfs 2.0: 10 s).
    public let timeout: TimeInterval

    /// Runs `command` on each fetch.
    public init(command: String, timeout: TimeInterval = 10) {
        self.command = command; self.timeout = timeout
    }

    /// `credential_process "CMD"`.
    public var name: String { "credential_process \"\(command)\"" }

    /// Runs the command once.
    public func fetch() async throws -> ExpiringCredentials {
        let result = try await ChildProcess.run("/bin/sh", ["-c", command], timeout: timeout)
        guard !result.timedOut else { throw CredentialsError("\(name) ran longer than \(Int(timeout)) s") }
        guard result.status == 0 else {
            let reason = result.stderr.split(separator: "\n").last.map { ": \($0)" } ?? ""
            throw CredentialsError("\(name) exited with status \(result.status)\(reason)")
        }
        return try CredentialsDocument.parse(result.stdout, source: name)
    }
}

/// A child process run to completion with its output collected. Everything that blocks (spawning,
/// reading the pipes, waiting) happens on a thread of its own, never on Swift's cooperative pool.
enum ChildProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
        var timedOut: Bool
    }

    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval) async throws -> Result {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Result, Error>) in
            Thread.detachNewThread {
                c.resume(with: Swift.Result { try runBlocking(executable, arguments, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], timeout: TimeInterval) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw CredentialsError("cannot run \(executable): \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        let deadline = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        // Both pipes are read to their end at once (a full pipe would block the child).
        let errorData = PipeReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = errorData.wait()
        process.waitUntilExit()
        deadline.cancel()
        let timedOut = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return Result(status: process.terminationStatus, stdout: outData,
                      stderr: String(decoding: stderr.prefix(4096), as: UTF8.self), timedOut: timedOut)
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    // @unchecked: `data` is written by the reader thread before `done.signal()`, read after `wait()`.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
