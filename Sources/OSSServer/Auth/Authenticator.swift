import Foundation
import OSSProtocol

/// Verifies a request's signature (V1/V4, header or presigned) with the configured key, using the
/// OSSProtocol signers, and enforces clock skew, presign expiry and the STS token.
struct Authenticator: Sendable {
    let accessKeyId: String
    let accessKeySecret: String
    let securityToken: String?
    let enforceTime: Bool
    /// Allowed difference between the request time and now (oss-protocol.md 2.0).
    static let maxSkew: TimeInterval = 15 * 60

    /// True when the request carries a valid signature of the owner; false when it is anonymous.
    func authenticate(_ request: RequestContext, now: Date = Date()) throws -> Bool {
        let authorization: RequestAuthorization
        do {
            authorization = try RequestAuthorization.parse(authorization: request.header("Authorization"), query: request.query)
        } catch let error as RequestAuthorization.ParseError {
            if request.header("Authorization") != nil { throw ServerError.invalidArgument("Authorization header is invalid: \(error.message)") }
            throw ServerError.accessDenied(error.message)
        }
        guard let claimed = authorization.accessKeyId else { return false }
        guard claimed == accessKeyId else { throw ServerError.invalidAccessKeyId(claimed) }
        try checkToken(request)
        if enforceTime { try checkTime(authorization, request, now: now) }
        guard let check = SignatureCheck.compute(request.signingRequest, authorization: authorization, secret: accessKeySecret) else {
            return false
        }
        guard check.matches else { throw ServerError.signatureDoesNotMatch(check, accessKeyId: claimed) }
        return true
    }

    private func checkToken(_ request: RequestContext) throws {
        let token = request.header("x-oss-security-token") ?? request.queryValue("security-token")
            ?? request.queryValue("x-oss-security-token")
        guard let token else { return }
        guard let securityToken, token == securityToken else { throw ServerError.invalidSecurityToken }
    }

    private func checkTime(_ authorization: RequestAuthorization, _ request: RequestContext, now: Date) throws {
        switch authorization {
        case .anonymous:
            return
        case .v1Header:
            let text = request.header("x-oss-date") ?? request.header("Date")
            guard let text else { throw ServerError.accessDenied("OSS authentication requires a valid Date.") }
            guard let date = HTTPDate.parseRFC1123(text) ?? HTTPDate.parseISO8601Basic(text) else {
                throw ServerError.accessDenied("OSS authentication requires a valid Date.")
            }
            try checkSkew(date, now)
        case .v4Header:
            guard let text = request.header("x-oss-date"), let date = HTTPDate.parseISO8601Basic(text) else {
                throw ServerError.accessDenied("V4 signature requires a valid x-oss-date header.")
            }
            try checkSkew(date, now)
        case .v1Query(_, let expires, _):
            if Int64(now.timeIntervalSince1970) > expires { throw ServerError.accessDenied("Request has expired.") }
        case .v4Query(_, let dateTime, let expiresIn, _, _):
            guard let date = HTTPDate.parseISO8601Basic(dateTime) else {
                throw ServerError.accessDenied("Presigned URL has an invalid x-oss-date.")
            }
            guard expiresIn >= 0, expiresIn <= 604_800 else {
                throw ServerError.invalidArgument("x-oss-expires must be between 0 and 604800 seconds.")
            }
            if date.timeIntervalSince(now) > Self.maxSkew { throw ServerError.requestTimeTooSkewed }
            if now.timeIntervalSince(date) > TimeInterval(expiresIn) { throw ServerError.accessDenied("Request has expired.") }
        }
    }

    private func checkSkew(_ date: Date, _ now: Date) throws {
        if abs(date.timeIntervalSince(now)) > Self.maxSkew { throw ServerError.requestTimeTooSkewed }
    }
}

extension ServerError {
    /// 403 SignatureDoesNotMatch with the strings the server signed, as OSS echoes them.
    static func signatureDoesNotMatch(_ check: SignatureCheck, accessKeyId: String) -> ServerError {
        var extras: [(name: String, value: String)] = [
            ("StringToSign", check.stringToSign),
            ("StringToSignBytes", check.stringToSign.utf8.map { String(format: "%02x", $0) }.joined(separator: " ")),
            ("SignatureProvided", check.providedSignature),
            ("OSSAccessKeyId", accessKeyId),
        ]
        if let canonical = check.canonicalRequest { extras.append(("CanonicalRequest", canonical)) }
        return ServerError(.signatureDoesNotMatch,
                           "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                           ec: "0002-00000040", extras: extras)
    }
}
