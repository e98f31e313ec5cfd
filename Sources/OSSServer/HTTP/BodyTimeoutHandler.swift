import NIOCore
import NIOHTTP1

/// Raised into the inbound stream when a request body stalls (no bytes for `IdleStateHandler`'s
/// read timeout): the request is answered 400 RequestTimeout and nothing it sent is stored.
struct RequestBodyTimeout: Error {}

/// Turns a read-idle event during a request (between its head and its end) into
/// `RequestBodyTimeout`; idle keep-alive connections between requests are left alone.
final class BodyTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private var inRequest = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: inRequest = true
        case .end: inRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, inRequest {
            inRequest = false
            context.fireErrorCaught(RequestBodyTimeout())
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
