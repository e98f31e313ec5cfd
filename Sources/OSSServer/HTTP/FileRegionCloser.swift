import NIOCore
import NIOHTTP1

/// Closes the file handle of a `FileRegion` body once NIO has written it (or failed to).
final class FileRegionCloser: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .body(.fileRegion(let region)) = unwrapOutboundIn(data) {
            let done = promise ?? context.eventLoop.makePromise()
            done.futureResult.whenComplete { _ in try? region.fileHandle.close() }
            context.write(data, promise: done)
        } else {
            context.write(data, promise: promise)
        }
    }
}
