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

    var description: String { "\(status) \(code): \(message)" }
}
