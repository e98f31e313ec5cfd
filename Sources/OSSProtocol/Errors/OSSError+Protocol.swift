import Foundation

extension OSSError {
    /// An error with the code's status, default message (unless given) and EC.
    public init(_ code: OSSErrorCode, message: String? = nil, requestId: String = "", hostId: String = "",
                extras: [String: String] = [:]) {
        self.init(httpStatus: code.httpStatus, code: code.rawValue, message: message ?? code.defaultMessage,
                  requestId: requestId, hostId: hostId, ec: code.ec, extras: extras)
    }

    /// True when this error has code `code`.
    public func `is`(_ code: OSSErrorCode) -> Bool { self.code == code.rawValue }

    /// True when this error has one of `codes`.
    public func `is`(oneOf codes: OSSErrorCode...) -> Bool { codes.contains { $0.rawValue == code } }

    /// The code of this error as a table entry, nil for a code the table does not know (or none).
    public var knownCode: OSSErrorCode? { OSSErrorCode.named(code) }

    /// Element names that are fields, not extras.
    static let fieldNames: Set<String> = ["Code", "Message", "RequestId", "HostId", "EC"]

    /// The `<Error>` document (extras sorted by name, EC last, as OSS sends it).
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("Error") { w in
            w.element("Code", code)
            w.element("Message", message)
            w.element("RequestId", requestId)
            w.element("HostId", hostId)
            for (k, v) in extras.sorted(by: { $0.key < $1.key }) where !OSSError.fieldNames.contains(k) { w.element(k, v) }
            w.element("EC", ifPresent: ec)
        }
        return w.data
    }

    /// The base64 `x-oss-err` header of a bodiless (HEAD) error answer.
    public func headerValue() -> String { xmlDocument().base64EncodedString() }

    /// Decodes an `<Error>` body; nil when `body` is not an OSS error document.
    /// `ecHeader` (`x-oss-ec`) fills in the EC when the body has none.
    public static func decode(httpStatus: Int, body: Data, requestId: String? = nil, ecHeader: String? = nil) -> OSSError? {
        guard !body.isEmpty, let root = try? XMLNode.parse(body), root.name == "Error",
              let code = root.string("Code") else { return nil }
        var extras: [String: String] = [:]
        for c in root.children where !fieldNames.contains(c.name) { extras[c.name] = c.text }
        let rid = root.string("RequestId") ?? ""
        return OSSError(httpStatus: httpStatus, code: code, message: root.string("Message") ?? "",
                        requestId: rid.isEmpty ? (requestId ?? "") : rid, hostId: root.string("HostId") ?? "",
                        ec: root.string("EC") ?? ecHeader, extras: extras)
    }

    /// Decodes the `x-oss-err` header (base64 of an `<Error>` document); nil when absent or invalid.
    public static func decode(httpStatus: Int, errHeader: String, requestId: String? = nil, ecHeader: String? = nil) -> OSSError? {
        guard let data = Data(base64Encoded: errHeader.trimmingCharacters(in: .whitespaces)) else { return nil }
        return decode(httpStatus: httpStatus, body: data, requestId: requestId, ecHeader: ecHeader)
    }

    /// The error of a failed answer: from its `<Error>` body, else the `x-oss-err` header, else the
    /// status alone with an EMPTY code (as oss2 does: a bodiless 404 from an old service, which sends
    /// no `x-oss-err`, means "no such key"; `statusOnlyCode` names the status in the message).
    /// `header` looks a response header up case-insensitively.
    public static func fromResponse(httpStatus: Int, body: Data, header: (String) -> String?) -> OSSError {
        let rid = header("x-oss-request-id")
        let ec = header("x-oss-ec")
        if let e = decode(httpStatus: httpStatus, body: body, requestId: rid, ecHeader: ec) { return e }
        if let h = header("x-oss-err"), let e = decode(httpStatus: httpStatus, errHeader: h, requestId: rid, ecHeader: ec) {
            return e
        }
        let text = body.isEmpty ? "\(statusOnlyCode(httpStatus)): HTTP \(httpStatus) without an error document"
            : "HTTP \(httpStatus): " + String(decoding: body.prefix(512), as: UTF8.self)
        return OSSError(httpStatus: httpStatus, code: "", message: text, requestId: rid ?? "", ec: ec)
    }

    /// The usual name of a status, for messages of answers without an error document.
    static func statusOnlyCode(_ status: Int) -> String {
        switch status {
        case 304: return "NotModified"
        case 400: return "BadRequest"
        case 403: return "AccessDenied"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 411: return "MissingContentLength"
        case 412: return "PreconditionFailed"
        case 416: return "InvalidRange"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 501: return "NotImplemented"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }
}
