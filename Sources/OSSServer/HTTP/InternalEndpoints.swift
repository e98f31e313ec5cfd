import NIOCore
import NIOHTTP1

/// `/_ossfuse/...`: request counters for tests and benchmarks. No authentication, loopback only,
/// never subject to fault injection.
enum InternalEndpoints {
    static func answer(_ request: RequestContext, service: ServiceState) -> ServerResponse {
        guard request.remoteIsLoopback else { return text("{\"error\":\"loopback only\"}", status: .forbidden) }
        switch (request.method, request.rawPath) {
        case (.GET, "/_ossfuse/stats"):
            return text(service.stats.json())
        case (.POST, "/_ossfuse/stats/reset"):
            service.stats.reset()
            return text("{}")
        default:
            return text("{\"error\":\"not found\"}", status: .notFound)
        }
    }

    private static func text(_ json: String, status: HTTPResponseStatus = .ok) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(ByteBuffer(string: json)))
    }
}
