import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OSSProtocol
import TestSupport

/// A tiny signed HTTP client for tests of the server's HTTP layer (path-style, V1 or V4, or anonymous).
struct RawOSSClient {
    enum Signing { case v1, v4, anonymous }

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        /// The `<Code>` of an error body, or of the `x-oss-err` header for HEAD.
        var errorCode: String? {
            if let e = OSSError.decode(httpStatus: status, body: body) { return e.code }
            if let h = header("x-oss-err") { return OSSError.decode(httpStatus: status, errHeader: h)?.code }
            return nil
        }
    }

    let server: ServerProcess
    var signing: Signing = .v1
    var secretOverride: String?
    /// Per-request timeout (bounded so a test never hangs).
    var timeout: TimeInterval = 60

    var credentials: Credentials {
        Credentials(accessKeyId: server.accessKeyId, accessKeySecret: secretOverride ?? server.accessKeySecret)
    }

    func send(_ method: String, bucket: String? = "test", key: String? = nil, query: [(name: String, value: String)] = [],
              headers: [(name: String, value: String)] = [], body: Data = Data()) async throws -> Response {
        var signing = SigningRequest(method: method, bucket: bucket, key: key, query: query,
                                     headers: headers + [("Content-Type", headers.first { $0.name.lowercased() == "content-type" }?.value ?? "application/octet-stream")])
        signing.headers = Self.dedupe(signing.headers)
        switch self.signing {
        case .v1: SignerV1.sign(&signing, credentials: credentials)
        case .v4: SignerV4.sign(&signing, credentials: credentials, region: "cn-hangzhou")
        case .anonymous: break
        }
        return try await perform(signing, body: body)
    }

    /// A presigned URL for `method` on `key`.
    func presignedURL(_ method: String, key: String, version: Signing, expiresIn: Int = 600, date: Date = Date()) -> URL {
        let request = SigningRequest(method: method, bucket: "test", key: key)
        let items = version == .v1
            ? SignerV1.presign(request, credentials: credentials, expires: date.addingTimeInterval(TimeInterval(expiresIn)))
            : SignerV4.presign(request, credentials: credentials, region: "cn-hangzhou", date: date, expiresIn: expiresIn)
        return url(bucket: "test", key: key, query: items)
    }

    func url(bucket: String?, key: String?, query: [(name: String, value: String)]) -> URL {
        var text = server.endpoint.absoluteString
        if let bucket { text += "/" + bucket + "/" + PercentEncoding.encodePath(key ?? "") }
        else { text += "/" }
        if !query.isEmpty {
            text += "?" + query.map { $0.value.isEmpty ? PercentEncoding.encodeQuery($0.name)
                : PercentEncoding.encodeQuery($0.name) + "=" + PercentEncoding.encodeQuery($0.value) }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    func fetch(_ url: URL, method: String = "GET") async throws -> Response {
        var request = URLRequest(url: url)
        request.httpMethod = method
        return try await Self.run(request)
    }

    private func perform(_ signing: SigningRequest, body: Data) async throws -> Response {
        var request = URLRequest(url: url(bucket: signing.bucket, key: signing.key, query: signing.query))
        request.httpMethod = signing.method
        request.timeoutInterval = timeout
        for (name, value) in signing.headers { request.setValue(value, forHTTPHeaderField: name) }
        if !body.isEmpty || signing.method == "PUT" || signing.method == "POST" { request.httpBody = body }
        return try await Self.run(request)
    }

    private static func run(_ request: URLRequest) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                let http = response as! HTTPURLResponse
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
                continuation.resume(returning: Response(status: http.statusCode, headers: headers, body: data ?? Data()))
            }.resume()
        }
    }

    private static func dedupe(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var seen = Set<String>()
        return headers.filter { seen.insert($0.name.lowercased()).inserted }
    }
}
