import Foundation

/// OSS signature V4 (`OSS4-HMAC-SHA256`) in the Authorization header and as a presigned URL.
/// Every step is public so a server can recompute and echo the CanonicalRequest / StringToSign.
public enum SignerV4 {
    /// The algorithm name in headers and presigned queries.
    public static let algorithm = "OSS4-HMAC-SHA256"
    /// The payload hash OSS clients send.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// `/bucket/key` percent-encoded keeping unreserved and `/`.
    public static func canonicalURI(_ request: SigningRequest) -> String {
        PercentEncoding.encodePath(request.rawResourcePath)
    }

    /// All query items (optionally minus `excluding`), names and values encoded, sorted, `k=v` / `k`.
    public static func canonicalQueryString(_ request: SigningRequest, excluding: Set<String> = []) -> String {
        var pairs: [(String, String)] = []
        for item in request.query where !excluding.contains(item.name) {
            pairs.append((PercentEncoding.encodeQuery(item.name), PercentEncoding.encodeQuery(item.value)))
        }
        pairs.sort { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let parts: [String] = pairs.map { $0.1.isEmpty ? $0.0 : $0.0 + "=" + $0.1 }
        return parts.joined(separator: "&")
    }

    /// The additional headers that count: lower-cased, present in the request, not signed by
    /// default, sorted and unique.
    public static func effectiveAdditionalHeaders(_ names: [String], in request: SigningRequest) -> [String] {
        let map = request.canonicalHeaderMap()
        return Set(names.map { $0.lowercased() }).filter { !isDefaultSigned($0) && map[$0] != nil }.sorted()
    }

    static func isDefaultSigned(_ lower: String) -> Bool {
        lower.hasPrefix("x-oss-") || lower == "content-type" || lower == "content-md5"
    }

    /// The CanonicalRequest (oss-protocol.md 3.4). `excludingQuery` leaves out query items such as
    /// `x-oss-signature` when verifying a presigned URL.
    public static func canonicalRequest(_ request: SigningRequest, additionalHeaders: [String] = [],
                                        excludingQuery: Set<String> = []) -> String {
        let map = request.canonicalHeaderMap()
        let additional = effectiveAdditionalHeaders(additionalHeaders, in: request)
        let signed = map.filter { isDefaultSigned($0.key) || additional.contains($0.key) }.sorted { $0.key < $1.key }
        let headerLines = signed.map { $0.key + ":" + $0.value + "\n" }.joined()
        return [request.method, canonicalURI(request), canonicalQueryString(request, excluding: excludingQuery),
                headerLines, additional.joined(separator: ";"), map["x-oss-content-sha256"] ?? unsignedPayload]
            .joined(separator: "\n")
    }

    /// `<yyyymmdd>/<region>/<product>/aliyun_v4_request`.
    public static func scope(date: String, region: String, product: String = "oss") -> String {
        date + "/" + region + "/" + product + "/aliyun_v4_request"
    }

    /// `OSS4-HMAC-SHA256\n<datetime>\n<scope>\n<hex sha256(canonical request)>`.
    public static func stringToSign(canonicalRequest: String, dateTime: String, scope: String) -> String {
        algorithm + "\n" + dateTime + "\n" + scope + "\n" + Digest.hex(Digest.sha256(Data(canonicalRequest.utf8)))
    }

    /// Lower-case hex HMAC-SHA256 with the derived signing key.
    public static func signature(stringToSign: String, secret: String, date: String, region: String,
                                 product: String = "oss") -> String {
        var k = Digest.hmacSHA256(key: Data(("aliyun_v4" + secret).utf8), Data(date.utf8))
        k = Digest.hmacSHA256(key: k, Data(region.utf8))
        k = Digest.hmacSHA256(key: k, Data(product.utf8))
        k = Digest.hmacSHA256(key: k, Data("aliyun_v4_request".utf8))
        return Digest.hex(Digest.hmacSHA256(key: k, Data(stringToSign.utf8)))
    }

    /// Signs `request` in place: sets `x-oss-date`, `x-oss-content-sha256` (if absent), `Date`, the STS
    /// header and `Authorization`. Returns the StringToSign.
    @discardableResult
    public static func sign(_ request: inout SigningRequest, credentials: Credentials, region: String,
                            product: String = "oss", date: Date = Date(),
                            additionalHeaders: [String] = []) -> String {
        let dateTime = HTTPDate.iso8601Basic(date)
        let day = String(dateTime.prefix(8))
        request.setHeader("x-oss-date", dateTime)
        if request.header("x-oss-content-sha256") == nil { request.setHeader("x-oss-content-sha256", unsignedPayload) }
        if request.header("Date") == nil { request.setHeader("Date", HTTPDate.rfc1123(date)) }
        if let token = credentials.securityToken { request.setHeader("x-oss-security-token", token) }
        let additional = effectiveAdditionalHeaders(additionalHeaders, in: request)
        let sc = scope(date: day, region: region, product: product)
        let sts = stringToSign(canonicalRequest: canonicalRequest(request, additionalHeaders: additional),
                               dateTime: dateTime, scope: sc)
        let sig = signature(stringToSign: sts, secret: credentials.accessKeySecret, date: day, region: region,
                            product: product)
        var auth = algorithm + " Credential=" + credentials.accessKeyId + "/" + sc
        if !additional.isEmpty { auth += ",AdditionalHeaders=" + additional.joined(separator: ";") }
        request.setHeader("Authorization", auth + ",Signature=" + sig)
        return sts
    }

    /// Presigns `request` valid for `expiresIn` seconds from `date`: returns the query items to append
    /// (decoded values), ending with `x-oss-signature`. `request.query` must hold the request's own items.
    public static func presign(_ request: SigningRequest, credentials: Credentials, region: String,
                               product: String = "oss", date: Date = Date(), expiresIn: Int,
                               additionalHeaders: [String] = []) -> [(name: String, value: String)] {
        let dateTime = HTTPDate.iso8601Basic(date)
        let day = String(dateTime.prefix(8))
        let sc = scope(date: day, region: region, product: product)
        let additional = effectiveAdditionalHeaders(additionalHeaders, in: request)
        var items: [(name: String, value: String)] = [
            ("x-oss-signature-version", algorithm), ("x-oss-date", dateTime), ("x-oss-expires", String(expiresIn)),
            ("x-oss-credential", credentials.accessKeyId + "/" + sc),
        ]
        if !additional.isEmpty { items.append(("x-oss-additional-headers", additional.joined(separator: ";"))) }
        if let token = credentials.securityToken { items.append(("x-oss-security-token", token)) }
        var r = request
        r.query += items
        let sts = stringToSign(canonicalRequest: canonicalRequest(r, additionalHeaders: additional),
                               dateTime: dateTime, scope: sc)
        items.append(("x-oss-signature", signature(stringToSign: sts, secret: credentials.accessKeySecret,
                                                   date: day, region: region, product: product)))
        return items
    }
}
