import Foundation
import OSSProtocol

/// Verifies a request's signature (V1/V4, header or presigned) with the configured key, using the
/// OSSProtocol signers, and enforces clock skew, presign expiry and the STS token. Optionally also
/// accepts the temporary credentials of an STS file (expired: `SecurityTokenExpired`), checks the V4
/// scope's region, and runs on a skewed clock.
struct Authenticator: Sendable {
    let accessKeyId: String
    let accessKeySecret: String
    let securityToken: String?
    let enforceTime: Bool
    /// `--sts-credentials`: further keys, each with its token and expiry.
    var stsCredentials: STSCredentialFile? = nil
    /// `--check-region`: a V4 scope naming another region is refused as OSS refuses it.
    var requiredRegion: String? = nil
    /// `--clock-skew`: seconds added to this server's clock when checking request times.
    var clockSkew: TimeInterval = 0
    /// Allowed difference between the request time and now (oss-protocol.md 2.0).
    static let maxSkew: TimeInterval = 15 * 60

    /// True when the request carries a valid signature of the owner; false when it is anonymous.
    func authenticate(_ request: RequestContext, now localNow: Date = Date()) throws -> Bool {
        let now = localNow.addingTimeInterval(clockSkew)
        let authorization: RequestAuthorization
        do {
            authorization = try RequestAuthorization.parse(authorization: request.header("Authorization"), query: request.query)
        } catch let error as RequestAuthorization.ParseError {
            if request.header("Authorization") != nil { throw ServerError.invalidArgument("Authorization header is invalid: \(error.message)") }
            throw ServerError.accessDenied(error.message)
        }
        guard let claimed = authorization.accessKeyId else { return false }
        let secret: String
        if claimed == accessKeyId {
            try checkToken(request)
            secret = accessKeySecret
        } else if let entry = stsCredentials?.entry(for: claimed) {
            guard Self.token(of: request) == entry.token else { throw ServerError.invalidSecurityToken }
            if now >= entry.expiry { throw ServerError.securityTokenExpired }
            secret = entry.secret
        } else {
            throw ServerError.invalidAccessKeyId(claimed)
        }
        try checkRegion(authorization)
        if enforceTime { try checkTime(authorization, request, now: now) }
        guard let check = SignatureCheck.compute(request.signingRequest, authorization: authorization, secret: secret) else {
            return false
        }
        guard check.matches else { throw ServerError.signatureDoesNotMatch(check, accessKeyId: claimed) }
        return true
    }

    private static func token(of request: RequestContext) -> String? {
        request.header("x-oss-security-token") ?? request.queryValue("security-token")
            ?? request.queryValue("x-oss-security-token")
    }

    /// OSS answers a V4 scope naming another region with 400 InvalidArgument, EC 0002-00000226.
    private func checkRegion(_ authorization: RequestAuthorization) throws {
        guard let requiredRegion else { return }
        switch authorization {
        case .v4Header(let credential, _, _), .v4Query(let credential, _, _, _, _):
            if credential.region != requiredRegion { throw ServerError.invalidSigningRegion }
        default: return
        }
    }

    private func checkToken(_ request: RequestContext) throws {
        guard let token = Self.token(of: request) else { return }
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
        return ServerError(.signatureDoesNotMatch, extras: extras)
    }
}
