import NIOCore
import NIOHTTP1
import NIOPosix
import OSSProtocol

/// The local OSS-compatible server: SwiftNIO HTTP/1.1 in front of `StorageEngine`.
public final class OSSServer: Sendable {
    /// What the server was created with.
    public let configuration: ServerConfiguration

    /// Creates a server; nothing happens until `run`.
    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// Opens the store, creates the configured buckets, binds, reports the bound address through
    /// `onListening(host, port)`, then serves until the task is cancelled.
    public func run(onListening: @Sendable (String, Int) -> Void) async throws {
        let storage = try StorageEngine(root: configuration.root)
        for name in configuration.buckets {
            guard BucketName.isValid(name) else { throw ServerStartError("invalid bucket name \(name)") }
            try storage.createBucket(name)
        }
        if let spec = configuration.populate {
            guard let bucket = configuration.buckets.first else { throw ServerStartError("--populate needs --bucket") }
            _ = try storage.populate(bucket: bucket, spec)
        }
        let threadPool = NIOThreadPool(numberOfThreads: 8)
        threadPool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        let service = ServiceState(configuration: configuration, storage: storage, threadPool: threadPool)
        let handler = ConnectionHandler(service: service, dispatcher: Dispatcher(service: service))
        let bodyTimeout = TimeAmount.seconds(Int64(configuration.bodyTimeoutSeconds))
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: bodyTimeout))
                    try channel.pipeline.syncOperations.addHandler(BodyTimeoutHandler())
                    try channel.pipeline.syncOperations.addHandler(FileRegionCloser())
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(backPressureStrategy: .init(lowWatermark: 4, highWatermark: 16)))
                }
            }
        onListening(configuration.host, server.channel.localAddress?.port ?? configuration.port)
        do {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        tasks.addTask { await handler.serve(connection) }
                    }
                }
            }
        } catch {
            try? await group.shutdownGracefully()
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try? await group.shutdownGracefully()
        try? await threadPool.shutdownGracefully()
    }

    /// `--check`: compares the index in `root` with its data files (read-only).
    public static func checkConsistency(root: String) throws -> (consistent: Bool, lines: [String]) {
        let report = try ConsistencyChecker.check(root: root)
        return (report.isConsistent, report.lines)
    }
}

/// A reason the server cannot start.
public struct ServerStartError: Error, CustomStringConvertible {
    /// What went wrong, in one sentence.
    public let description: String
    init(_ description: String) { self.description = description }
}
