import NIOCore
import NIOHTTP1

/// `/_ossfuse/...`: request counters for tests and benchmarks, and `POST
/// /_ossfuse/faults/qps-limit-storm?seconds=N` (every request refused with QpsLimitExceeded for N
/// seconds). No authentication, loopback only, never subject to fault injection.
enum InternalEndpoints {
    static func answer(_ request: RequestContext, service: ServiceState) -> ServerResponse {
        guard request.remoteIsLoopback else { return text("{\"error\":\"loopback only\"}", status: .forbidden) }
        switch (request.method, request.rawPath) {
        case (.GET, "/_ossfuse/stats"):
            return text(service.stats.json())
        case (.POST, "/_ossfuse/stats/reset"):
            service.stats.reset()
            return text("{}")
        case (.POST, "/_ossfuse/faults/qps-limit-storm"):
            guard let seconds = request.queryValue("seconds").flatMap(Double.init), seconds >= 0 else {
                return text("{\"error\":\"seconds=N needed\"}", status: .badRequest)
            }
            service.strictFaults.startStorm(seconds: seconds)
            return text("{}")
        default:
            return text("{\"error\":\"not found\"}", status: .notFound)
        }
    }

    private static func text(_ json: String, status: HTTPResponseStatus = .ok) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(ByteBuffer(string: json)))
    }
}
