/// How a received request claims to be authenticated: parsed from its `Authorization` header or
/// presigned query items (oss-protocol.md 3.7).
public enum RequestAuthorization: Sendable, Equatable {
    /// No signature at all.
    case anonymous
    /// `Authorization: OSS <ak>:<signature>`.
    case v1Header(accessKeyId: String, signature: String)
    /// `Authorization: OSS4-HMAC-SHA256 Credential=...,AdditionalHeaders=...,Signature=...`.
    case v4Header(credential: V4Credential, additionalHeaders: [String], signature: String)
    /// `?OSSAccessKeyId=&Expires=&Signature=` (`security-token` stays an ordinary sub-resource).
    case v1Query(accessKeyId: String, expires: Int64, signature: String)
    /// `?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=...&x-oss-date=...&x-oss-expires=...`.
    case v4Query(credential: V4Credential, dateTime: String, expiresIn: Int64, additionalHeaders: [String],
                 signature: String)

    /// Why an authorization could not be parsed (answered with 400 InvalidArgument / 403 AccessDenied).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Query items consumed by the presigned forms; a V4 presigned CanonicalQueryString excludes
    /// only `x-oss-signature`.
    public static let v4SignatureQueryItem = "x-oss-signature"

    /// Detects and parses the scheme from an `Authorization` header value and the decoded query.
    /// Mixing a header signature with a query signature is an error.
    public static func parse(authorization: String?, query: [(name: String, value: String)]) throws -> RequestAuthorization {
        func q(_ n: String) -> String? { query.first { $0.name == n }?.value }
        let v1Query = q("OSSAccessKeyId") != nil || q("Signature") != nil
        let v4Query = q("x-oss-signature-version") != nil || q("x-oss-signature") != nil
        if let auth = authorization, !auth.isEmpty {
            if v1Query || v4Query { throw ParseError("both an Authorization header and a query signature") }
            return try parseHeader(auth)
        }
        if v4Query {
            guard q("x-oss-signature-version") == SignerV4.algorithm else {
                throw ParseError("unsupported x-oss-signature-version")
            }
            guard let credText = q("x-oss-credential"), let dt = q("x-oss-date"), let expText = q("x-oss-expires"),
                  let sig = q("x-oss-signature") else { throw ParseError("presigned V4 URL is missing parameters") }
            guard let cred = V4Credential(parsing: credText) else { throw ParseError("malformed x-oss-credential") }
            guard let exp = Int64(expText) else { throw ParseError("malformed x-oss-expires") }
            let additional = (q("x-oss-additional-headers") ?? "").split(separator: ";").map { String($0).lowercased() }
            return .v4Query(credential: cred, dateTime: dt, expiresIn: exp, additionalHeaders: additional, signature: sig)
        }
        if v1Query {
            guard let ak = q("OSSAccessKeyId"), let expText = q("Expires"), let sig = q("Signature") else {
                throw ParseError("presigned V1 URL is missing OSSAccessKeyId, Expires or Signature")
            }
            guard let exp = Int64(expText) else { throw ParseError("malformed Expires") }
            return .v1Query(accessKeyId: ak, expires: exp, signature: sig)
        }
        return .anonymous
    }

    /// Parses an `Authorization` header value (V1 or V4; fields in any order, optional spaces).
    public static func parseHeader(_ value: String) throws -> RequestAuthorization {
        let v = value.trimmingHTTPWhitespace()
        if v.hasPrefix(SignerV4.algorithm + " ") {
            var cred: V4Credential?, sig: String?, additional: [String] = []
            for field in v.dropFirst(SignerV4.algorithm.count + 1).split(separator: ",") {
                let f = field.trimmingHTTPWhitespace()
                guard let eq = f.firstIndex(of: "=") else { throw ParseError("malformed V4 Authorization field") }
                let name = f[..<eq].trimmingHTTPWhitespace()
                let val = f[f.index(after: eq)...].trimmingHTTPWhitespace()
                switch name {
                case "Credential":
                    guard let c = V4Credential(parsing: val) else { throw ParseError("malformed V4 Credential") }
                    cred = c
                case "Signature": sig = val
                case "AdditionalHeaders": additional = val.split(separator: ";").map { String($0).lowercased() }
                default: throw ParseError("unknown V4 Authorization field \(name)")
                }
            }
            guard let cred, let sig, !sig.isEmpty else { throw ParseError("V4 Authorization lacks Credential or Signature") }
            return .v4Header(credential: cred, additionalHeaders: additional, signature: sig)
        }
        if v.hasPrefix("OSS ") {
            let rest = v.dropFirst(4).trimmingHTTPWhitespace()
            guard let colon = rest.lastIndex(of: ":") else { throw ParseError("malformed V1 Authorization") }
            let ak = String(rest[..<colon]), sig = String(rest[rest.index(after: colon)...])
            guard !ak.isEmpty, !sig.isEmpty else { throw ParseError("malformed V1 Authorization") }
            return .v1Header(accessKeyId: ak, signature: sig)
        }
        throw ParseError("unsupported Authorization scheme")
    }

    /// The access key id the request claims, nil when anonymous.
    public var accessKeyId: String? {
        switch self {
        case .anonymous: return nil
        case .v1Header(let ak, _), .v1Query(let ak, _, _): return ak
        case .v4Header(let c, _, _), .v4Query(let c, _, _, _, _): return c.accessKeyId
        }
    }
}
