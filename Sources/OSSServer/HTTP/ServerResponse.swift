import Foundation
import NIOCore
import NIOHTTP1

/// What a handler answers: status, headers and a body (bytes, a file region or nothing).
/// The connection adds the common headers (Date, Server, x-oss-request-id, Content-Length).
struct ServerResponse: Sendable {
    enum Body: Sendable {
        case empty
        case bytes(ByteBuffer)
        /// Slices of data files sent one after another with sendfile; each handle is closed once written.
        case files([FileRegion])
    }

    var status: HTTPResponseStatus
    var headers: [(name: String, value: String)]
    var body: Body
    /// Content-Length to announce when it differs from the body (HEAD answers).
    var announcedLength: Int64?

    init(status: HTTPResponseStatus = .ok, headers: [(name: String, value: String)] = [], body: Body = .empty,
         announcedLength: Int64? = nil) {
        self.status = status; self.headers = headers; self.body = body; self.announcedLength = announcedLength
    }

    /// A 200 answer carrying an XML document.
    static func xml(_ data: Data, status: HTTPResponseStatus = .ok, headers: [(name: String, value: String)] = []) -> ServerResponse {
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return ServerResponse(status: status, headers: headers + [("Content-Type", "application/xml")], body: .bytes(buffer))
    }

    /// Bytes the body will carry.
    var bodyLength: Int64 {
        switch body {
        case .empty: return 0
        case .bytes(let buffer): return Int64(buffer.readableBytes)
        case .files(let regions): return regions.reduce(0) { $0 + Int64($1.readableBytes) }
        }
    }

    /// Closes the file of a body that will not be sent.
    func discard() {
        if case .files(let regions) = body { for region in regions { try? region.fileHandle.close() } }
    }
}
