import Foundation
import NIOCore
import NIOHTTP1
import OSSProtocol

/// Serves the requests of one HTTP/1.1 connection in order: resolves the address, routes, counts,
/// injects faults, authenticates, dispatches and writes the answer with the common headers.
struct ConnectionHandler: Sendable {
    let service: ServiceState
    let dispatcher: Dispatcher
    /// Body bytes an error answer reads and discards first, so a client still sending its body
    /// (without `Expect: 100-continue`) receives the answer instead of a reset; beyond that (more
    /// than any object may be) the connection is closed.
    static let drainLimit: Int64 = (5 << 30) + (1 << 20)

    func serve(_ channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let loopback = Self.isLoopback(channel.channel.remoteAddress)
        let files = OpenFileRegistry()
        try? await channel.executeThenClose { inbound, outbound in
            let stream = RequestStream(inbound)
            while let head = try await stream.nextHead() {
                guard try await handle(head, stream: stream, outbound: outbound, loopback: loopback, files: files) else { return }
            }
        }
        files.closeAll()
    }

    /// Answers one request; false when the connection must close.
    private func handle(_ head: HTTPRequestHead, stream: RequestStream,
                        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, loopback: Bool,
                        files: OpenFileRegistry) async throws -> Bool {
        var request = RequestContext(head: head, remoteIsLoopback: loopback)
        if request.rawPath.hasPrefix("/_ossfuse/") {
            return try await finish(InternalEndpoints.answer(request, service: service), request, stream, outbound, files: files)
        }
        let expectsContinue = head.headers.first(name: "expect")?.lowercased() == "100-continue"
        var response: ServerResponse
        do {
            let strict = service.configuration.strictness
            let resolved = try AddressResolver.resolve(hostName: request.hostName, rawPath: request.rawPath,
                                                       cnames: strict.cnames) {
                service.storage.bucket($0) != nil
            }
            request.bucket = resolved.bucket
            request.key = resolved.key
            request.operation = Router.operation(for: request)
            service.stats.record(request.operation)
            switch service.faults.decide() {
            case .dropConnection:
                service.stats.recordFault(dropped: true)
                return false
            case .serviceUnavailable:
                service.stats.recordFault(dropped: false)
                throw ServerError.serviceUnavailable
            case .none: break
            }
            if service.strictFaults.isStorming() {
                service.stats.recordQpsLimitExceeded()
                throw ServerError.qpsLimitExceeded
            }
            if strict.publicEndpointForbidden, strict.cnames[request.hostName] == nil, request.bucket != nil {
                throw ServerError.publicEndpointForbidden
            }
            request.isAuthenticated = try service.authenticator.authenticate(request)
            if !request.isAuthenticated && AccessPolicy.isOwnerOnly(request.operation) {
                throw ServerError.accessDenied("You have no right to access this resource.")
            }
            if expectsContinue {
                let version = head.version
                stream.sendContinue = { try await outbound.write(.head(HTTPResponseHead(version: version, status: .continue))) }
            }
            response = try await dispatcher.dispatch(request, body: stream)
        } catch let error as ServerError {
            response = Self.errorResponse(error, request)
        } catch is RequestBodyTimeout {
            // The body stalled: answer and close without reading further.
            return try await finish(Self.errorResponse(.requestTimeout, request), request, stream, outbound,
                                    files: files, drain: false)
        } catch {
            response = Self.errorResponse(.internalError(String(describing: error)), request)
        }
        if service.configuration.latencyMilliseconds > 0 {
            try? await Task.sleep(nanoseconds: UInt64(service.configuration.latencyMilliseconds) * 1_000_000)
        }
        if let bandwidth = service.bandwidth, request.method != .HEAD, response.bodyLength > 0 {
            try? await Task.sleep(nanoseconds: bandwidth.reserve(Int(response.bodyLength)))
        }
        // A client waiting for 100 Continue gets the final answer at once and the connection closes
        // (its body is never read), instead of waiting for its Expect timeout.
        return try await finish(response, request, stream, outbound, files: files,
                                drain: !(expectsContinue && !stream.continueSent))
    }

    /// Writes the answer; returns whether the connection stays open.
    private func finish(_ response: ServerResponse, _ request: RequestContext, _ stream: RequestStream,
                        _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, files: OpenFileRegistry,
                        drain: Bool = true) async throws -> Bool {
        let complete: Bool
        do {
            if stream.bodyComplete {
                complete = true
            } else {
                complete = drain ? try await stream.drain(limit: Self.drainLimit) : false
            }
        } catch {
            response.discard()
            throw error
        }
        let keepOpen = request.head.isKeepAlive && complete
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "AliyunOSS")
        headers.add(name: "Date", value: HTTPDate.rfc1123(service.now()))
        headers.add(name: "x-oss-request-id", value: request.requestId)
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        let status = response.status
        if status != .notModified && status != .noContent {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.announcedLength ?? response.bodyLength))
        }
        headers.replaceOrAdd(name: "Connection", value: keepOpen ? "keep-alive" : "close")
        var parts: [HTTPServerResponsePart] = [.head(HTTPResponseHead(version: request.head.version, status: status, headers: headers))]
        if request.method != .HEAD && status != .notModified && status != .noContent {
            switch response.body {
            case .empty: break
            case .bytes(let buffer): parts.append(.body(.byteBuffer(buffer)))
            case .files(let regions):
                for region in regions {
                    files.register(region.fileHandle)
                    parts.append(.body(.fileRegion(region)))
                }
            }
        } else {
            response.discard()
        }
        parts.append(.end(nil))
        do {
            try await outbound.write(contentsOf: parts)
        } catch {
            response.discard()
            throw error
        }
        return keepOpen
    }

    /// The OSS error answer for `error`: XML body, or for HEAD no body and the XML base64 in `x-oss-err`.
    static func errorResponse(_ error: ServerError, _ request: RequestContext) -> ServerResponse {
        if error.status == 304 { return ServerResponse(status: .notModified, headers: error.headers) }
        let document = OSSError(httpStatus: error.status, code: error.code, message: error.message,
                                requestId: request.requestId, hostId: request.hostId, ec: error.ec,
                                extras: Dictionary(error.extras.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
            .xmlDocument()
        let status = HTTPResponseStatus(statusCode: error.status)
        var headers = error.headers + [("x-oss-ec", error.ec)]
        if request.method == .HEAD {
            headers.append(("x-oss-err", document.base64EncodedString()))
            return ServerResponse(status: status, headers: headers, announcedLength: 0)
        }
        return .xml(document, status: status, headers: headers)
    }

    private static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
