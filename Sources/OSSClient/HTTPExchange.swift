import Foundation

/// One HTTP request as the transport sends it (already signed).
struct HTTPRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)]
    var body: UploadBody?
    /// Compute the CRC-64 of the uploaded bytes while sending.
    var computeUploadCRC = false
    /// Told of the body's prefixes as they arrive when the answer is a 206 (Partial Content), and
    /// only of bodies written into a pooled buffer (large, with a Content-Length).
    var progress: (any BodyProgress)? = nil
}

/// One HTTP answer.
struct HTTPResponse: Sendable {
    var status: Int
    /// Names lower-cased, in arrival order.
    var headers: [(name: String, value: String)]
    var body: Data
    /// CRC-64 of the bytes sent, when requested.
    var uploadCRC: UInt64?

    /// First value of header `name` (lower-case name).
    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}

/// A transport failure with the facts the retry policy needs.
struct TransportFailure: Error, Sendable {
    var error: TransportError
    /// False when no connection was made, so nothing reached the server.
    var requestSent: Bool
}
