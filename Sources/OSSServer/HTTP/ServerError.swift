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

    init(_ status: Int, _ code: String, _ message: String, ec: String,
         extras: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []) {
        self.status = status; self.code = code; self.message = message; self.ec = ec
        self.extras = extras; self.headers = headers
    }

    /// An error whose code and HTTP status come from the shared table (`OSSErrorCode`), so the
    /// server and the client cannot disagree on them; `status` overrides the table only where this
    /// server made a documented choice of its own.
    init(_ code: OSSErrorCode, _ message: String, ec: String, status: Int? = nil,
         extras: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []) {
        self.init(status ?? code.httpStatus, code.rawValue, message, ec: ec, extras: extras, headers: headers)
    }

    var description: String { "\(status) \(code): \(message)" }
}
