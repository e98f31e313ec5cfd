import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `ossfuse-server` child process for tests: fresh temp root, random credentials, the given
/// buckets; waits (bounded) for its `listening on` line; stopped on `deinit`.
///
/// The binary is looked up in `$OSSFUSE_BIN_DIR`, else `<package root>/.build/debug`.
// @unchecked: mutable state (process, port, lifeline) lives in `state`.
public final class ServerProcess: @unchecked Sendable {
    /// Errors starting or talking to the server.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Directory with the index and data files (removed on deinit when created here).
    public let root: URL
    /// The access key id the server accepts (random per instance).
    public let accessKeyId: String
    /// Its secret.
    public let accessKeySecret: String
    /// Buckets created at start.
    public let buckets: [String]
    /// Extra command-line arguments given to every start.
    public let extraArguments: [String]
    /// How long `start`/`restart` wait for the listening line.
    public let startTimeout: TimeInterval

    private let state = Mutex(ChildState())
    private struct ChildState {
        var process: Process?
        /// Write end of the server's standard input: the server exits when it closes (see `launch`).
        var lifeline: Lifeline?
        var boundPort = 0
    }
    private let ownsRoot: Bool

    /// Starts a server. `arguments` are appended to the command line (e.g. `["--fault-rate", "0.1"]`).
    public init(buckets: [String] = ["test"], arguments: [String] = [], root: URL? = nil,
                startTimeout: TimeInterval = 30) throws {
        if let root {
            self.root = root
            ownsRoot = false
        } else {
            self.root = FileManager.default.temporaryDirectory.appendingPathComponent("ossfuse-server-\(UUID().uuidString)")
            ownsRoot = true
        }
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        accessKeyId = "LTAI" + Self.randomHex(8).uppercased()
        accessKeySecret = Self.randomHex(30)
        self.buckets = buckets
        extraArguments = arguments
        self.startTimeout = startTimeout
        try launch(port: 0)
    }

    deinit {
        terminate(signal: SIGTERM)
        if ownsRoot { try? FileManager.default.removeItem(at: root) }
    }

    /// The port the server listens on (kept across `restart`).
    public var port: Int { state.withLock { $0.boundPort } }

    /// `http://127.0.0.1:PORT` (path-style addressing).
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// True while the child process runs.
    public var isRunning: Bool { state.withLock { $0.process?.isRunning ?? false } }

    /// The child's process id while it runs.
    public var processIdentifier: Int32? {
        state.withLock { $0.process.flatMap { $0.isRunning ? $0.processIdentifier : nil } }
    }

    /// Closes this process's end of the server's standard input, as this process's death would:
    /// the server then ends by itself (`--exit-on-stdin-eof`).
    public func closeLifeline() {
        let lifeline: Lifeline? = state.withLock { state in defer { state.lifeline = nil }; return state.lifeline }
        lifeline?.closeKeptEnd()
    }

    /// The directory holding `ossfuse-server`.
    public static func binaryDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["OSSFUSE_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug")
    }

    /// Request counts per OSS operation (`GET /_ossfuse/stats`).
    public func stats() throws -> [String: Int] {
        let data = try request("GET", path: "/_ossfuse/stats")
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Int] else {
            throw Failure("stats answer is not a JSON object of integers")
        }
        return object
    }

    /// Zeroes the counters (`POST /_ossfuse/stats/reset`).
    public func resetStats() throws {
        _ = try request("POST", path: "/_ossfuse/stats/reset")
    }

    /// Every request is refused with 503 QpsLimitExceeded for `seconds` from now
    /// (`POST /_ossfuse/faults/qps-limit-storm`).
    public func startQpsLimitStorm(seconds: Double) throws {
        _ = try request("POST", path: "/_ossfuse/faults/qps-limit-storm", query: "seconds=\(seconds)")
    }

    /// Stops the server with SIGTERM and waits for it.
    public func stop() { terminate(signal: SIGTERM) }

    /// Kills the server with SIGKILL (a crash) and waits for it.
    public func kill() { terminate(signal: SIGKILL) }

    /// Stops the server if running and starts it again on the same root and port.
    public func restart() throws {
        stop()
        try launch(port: port)
    }

    private func launch(port: Int) throws {
        let binary = Self.binaryDirectory().appendingPathComponent("ossfuse-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure("ossfuse-server not found at \(binary.path); build it first (swift build) or set OSSFUSE_BIN_DIR")
        }
        let child = Process()
        child.executableURL = binary
        var arguments = ["--root", root.path, "--listen", "127.0.0.1:\(port)",
                         "--access-key-id", accessKeyId, "--access-key-secret", accessKeySecret]
        for bucket in buckets { arguments += ["--bucket", bucket] }
        // The server exits when this socket closes, so a test process that dies (or never runs a
        // deinit) leaves no server behind. Close-on-exec: no other child started meanwhile (tests
        // start many servers at once) may inherit the write end and so keep this server alive.
        child.arguments = arguments + ["--exit-on-stdin-eof"] + extraArguments
        let lifeline = try Lifeline()
        child.standardInput = lifeline.serverEnd
        // The server's stdout and stderr come back through one pipe that only this process reads
        // (and passes on to stderr), never straight to this process's stderr: `swift test` reads
        // that to its end, so a server outliving the tests would keep it waiting for ever.
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        lifeline.closeServerEnd()
        let listening = ListeningLine()
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let data = reader.availableData
                if data.isEmpty { listening.set(nil); return }
                pending.append(data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex...newline]
                    pending = Data(pending[(newline + 1)...])
                    let text = String(decoding: line.dropLast(), as: UTF8.self)
                    if text.hasPrefix("listening on http://") { listening.set(text) } else { FileHandle.standardError.write(line) }
                }
            }
        }
        guard let line = listening.wait(timeout: startTimeout),
              let portText = line.split(separator: ":").last, let bound = Int(portText) else {
            child.terminate()
            child.waitUntilExit()
            throw Failure("ossfuse-server did not report listening within \(startTimeout) s")
        }
        state.withLock {
            $0.process = child
            $0.lifeline = lifeline
            $0.boundPort = bound
        }
    }

    private func terminate(signal: Int32) {
        let child: Process? = state.withLock {
            let current = $0.process
            $0.process = nil
            return current
        }
        guard let child, child.isRunning else { return }
        let pid = child.processIdentifier
        Foundation.kill(pid, signal)
        // Not `waitUntilExit()`: on Linux it spins a run loop with no sources at full CPU, forever
        // if Foundation misses the child's exit (seen in a deinit on the cooperative pool). Poll
        // instead, and after 10 s make sure with SIGKILL; a reaped child answers ESRCH.
        func gone() -> Bool { !child.isRunning || (Foundation.kill(pid, 0) != 0 && errno == ESRCH) }
        for attempt in 0..<2_000 where !gone() {
            if attempt == 1_000 { Foundation.kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }

    private func request(_ method: String, path: String, query: String? = nil) throws -> Data {
        var url = endpoint.appendingPathComponent(path)
        if let query { url = URL(string: url.absoluteString + "?" + query)! }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        let result = ResultBox()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result.set(.failure(error))
            } else if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                result.set(.failure(Failure("\(method) \(path) answered HTTP \(http.statusCode)")))
            } else {
                result.set(.success(data ?? Data()))
            }
        }
        task.resume()
        return try result.wait().get()
    }

    private static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

/// A connected socket pair: the server reads one end as its standard input and exits at end of
/// file, that is when this process closes the other end or dies. Both ends are made close-on-exec
/// atomically (`SOCK_CLOEXEC`; glibc's module has no `pipe2`); the server's copy becomes its fd 0,
/// where dup2 clears the flag.
private final class Lifeline: Sendable {
    let serverEnd: FileHandle
    private let keptEnd: FileHandle

    init() throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw ServerProcess.Failure("socketpair: \(String(cString: strerror(errno)))")
        }
        serverEnd = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        keptEnd = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
    }

    /// Drops this process's copy of the read end once the server has its own.
    func closeServerEnd() { try? serverEnd.close() }

    /// Closes the end this process keeps: the server sees end of file.
    func closeKeptEnd() { try? keptEnd.close() }
}

/// The listening line handed from the reader thread to `launch`.
private final class ListeningLine: @unchecked Sendable {  // guarded by the condition's lock
    private let condition = NSCondition()
    private var done = false
    private var line: String?

    func set(_ value: String?) {
        condition.lock()
        if !done { line = value; done = true }
        condition.broadcast()
        condition.unlock()
    }

    func wait(timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !done { if !condition.wait(until: deadline) { return nil } }
        return line
    }
}

/// A URLSession answer handed to the waiting caller.
private final class ResultBox: @unchecked Sendable {  // guarded by the semaphore hand-off
    private let semaphore = DispatchSemaphore(value: 0)
    private var result: Result<Data, Error> = .failure(ServerProcess.Failure("no answer"))

    func set(_ value: Result<Data, Error>) {
        result = value
        semaphore.signal()
    }

    func wait() -> Result<Data, Error> {
        _ = semaphore.wait(timeout: .now() + 60)
        return result
    }
}
