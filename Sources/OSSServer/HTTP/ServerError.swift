import OSSProtocol

/// An error answer as OSS sends it: HTTP status, `<Code>`, `<Message>`, `<EC>`, per-error extra
/// elements (`Key`, `BucketName`, `StringToSign` ...) and extra response headers.
struct ServerError: Error, Sendable, CustomStringConvertible {
    var status: Int
    var code: String
    var message: String
    var ec: String
    var extras: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []

    /// An error whose code, HTTP status, message and EC come from the shared table (`OSSErrorCode`),
    /// so the server and the client cannot disagree on them. `message` and `ec` replace the table's
    /// where one code carries several documented answers (InvalidArgument, AccessDenied); `status`
    /// overrides it only where this server made a documented choice of its own.
    init(_ code: OSSErrorCode, _ message: String? = nil, ec: String? = nil, status: Int? = nil,
         extras: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []) {
        self.status = status ?? code.httpStatus; self.code = code.rawValue
        self.message = message ?? code.defaultMessage; self.ec = ec ?? code.ec ?? ""
        self.extras = extras; self.headers = headers
    }

    var description: String { "\(status) \(code): \(message)" }
}
