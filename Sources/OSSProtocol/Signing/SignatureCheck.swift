/// What a server needs to verify a signed request: the signature it expects and the strings it was
/// computed from (echoed in 403 SignatureDoesNotMatch).
public struct SignatureCheck: Sendable, Equatable {
    /// The signature the request should carry.
    public var expectedSignature: String
    /// The StringToSign the expectation was computed from.
    public var stringToSign: String
    /// V4 only: the CanonicalRequest.
    public var canonicalRequest: String?
    /// The signature the request carried.
    public var providedSignature: String

    /// True when the provided signature equals the expected one (constant-time comparison).
    public var matches: Bool {
        let a = Array(expectedSignature.utf8), b = Array(providedSignature.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// Recomputes the signature of `request` (decoded query and headers as received) under
    /// `authorization`, with the secret of its access key. Nil for `.anonymous`. Expiry and clock
    /// skew are the caller's policy (see `RequestAuthorization`).
    public static func compute(_ request: SigningRequest, authorization: RequestAuthorization,
                               secret: String) -> SignatureCheck? {
        switch authorization {
        case .anonymous:
            return nil
        case .v1Header(_, let sig):
            let sts = SignerV1.stringToSign(request)
            return SignatureCheck(expectedSignature: SignerV1.signature(stringToSign: sts, secret: secret),
                                  stringToSign: sts, canonicalRequest: nil, providedSignature: sig)
        case .v1Query(_, let expires, let sig):
            var r = request
            r.query.removeAll { ["OSSAccessKeyId", "Expires", "Signature"].contains($0.name) }
            let sts = SignerV1.stringToSign(r, dateLine: String(expires))
            return SignatureCheck(expectedSignature: SignerV1.signature(stringToSign: sts, secret: secret),
                                  stringToSign: sts, canonicalRequest: nil, providedSignature: sig)
        case .v4Header(let cred, let additional, let sig):
            let dateTime = request.header("x-oss-date") ?? ""
            return v4(request, cred: cred, dateTime: dateTime, additional: additional, excluding: [], sig: sig, secret: secret)
        case .v4Query(let cred, let dateTime, _, let additional, let sig):
            return v4(request, cred: cred, dateTime: dateTime, additional: additional,
                      excluding: [RequestAuthorization.v4SignatureQueryItem], sig: sig, secret: secret)
        }
    }

    private static func v4(_ request: SigningRequest, cred: V4Credential, dateTime: String, additional: [String],
                           excluding: Set<String>, sig: String, secret: String) -> SignatureCheck {
        let cr = SignerV4.canonicalRequest(request, additionalHeaders: additional, excludingQuery: excluding)
        let sts = SignerV4.stringToSign(canonicalRequest: cr, dateTime: dateTime, scope: cred.scope)
        let expected = SignerV4.signature(stringToSign: sts, secret: secret, date: cred.date, region: cred.region,
                                          product: cred.product)
        return SignatureCheck(expectedSignature: expected, stringToSign: sts, canonicalRequest: cr, providedSignature: sig)
    }
}
