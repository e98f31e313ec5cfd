import NIOCore
import NIOHTTP1

/// The inbound side of one connection: request heads and, after each head, its body chunks.
/// Owned by the connection's task; handlers read the body through it.
final class RequestStream {
    private var iterator: NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator
    /// True once the current request's `.end` was read.
    private(set) var bodyComplete = true
    /// Sends `100 Continue`; set for a request with `Expect: 100-continue`, run before the first
    /// body read, so a request refused before its body is needed gets its final answer at once.
    var sendContinue: (@Sendable () async throws -> Void)?
    /// True once `sendContinue` ran for the current request.
    private(set) var continueSent = false

    init(_ inbound: NIOAsyncChannelInboundStream<HTTPServerRequestPart>) {
        iterator = inbound.makeAsyncIterator()
    }

    /// The next request head, skipping whatever is left of the previous body; nil at end of input.
    func nextHead() async throws -> HTTPRequestHead? {
        while let part = try await iterator.next() {
            if case .head(let head) = part {
                bodyComplete = false
                sendContinue = nil
                continueSent = false
                return head
            }
        }
        return nil
    }

    /// The next body chunk, nil at the end of the body.
    func nextChunk() async throws -> ByteBuffer? {
        guard !bodyComplete else { return nil }
        if let send = sendContinue {
            sendContinue = nil
            continueSent = true
            try await send()
        }
        while let part = try await iterator.next() {
            switch part {
            case .body(let buffer):
                return buffer
            case .end:
                bodyComplete = true
                return nil
            case .head:
                throw HTTPParserError.invalidInternalState
            }
        }
        throw HTTPParserError.invalidEOFState
    }

    /// Reads the whole body into memory; throws `tooLarge` beyond `limit` bytes.
    func collect(limit: Int) async throws -> ByteBuffer {
        var all = ByteBuffer()
        while var chunk = try await nextChunk() {
            guard all.readableBytes + chunk.readableBytes <= limit else { throw ServerError.entityTooLarge }
            all.writeBuffer(&chunk)
        }
        return all
    }

    /// Reads and discards the rest of the body, up to `limit` bytes; false if more remained.
    func drain(limit: Int64) async throws -> Bool {
        sendContinue = nil
        var discarded: Int64 = 0
        while !bodyComplete {
            guard let chunk = try await nextChunk() else { return true }
            discarded += Int64(chunk.readableBytes)
            if discarded > limit { return false }
        }
        return true
    }
}
