import Foundation

/// OSS signature V1 (`Authorization: OSS ak:sig`, HMAC-SHA1) and its presigned-URL form.
/// Every step is public so a server can recompute and echo the StringToSign.
public enum SignerV1 {
    /// The CanonicalizedResource: raw `/bucket/key` plus sorted sub-resources (decoded values).
    public static func canonicalizedResource(_ request: SigningRequest) -> String {
        let subs = request.query.filter { SubResources.contains($0.name) }
            .sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        guard !subs.isEmpty else { return request.rawResourcePath }
        return request.rawResourcePath + "?" + subs.map { $0.value.isEmpty ? $0.name : $0.name + "=" + $0.value }
            .joined(separator: "&")
    }

    /// The CanonicalizedOSSHeaders: `name:value\n` for each `x-oss-*` header, sorted.
    public static func canonicalizedOSSHeaders(_ request: SigningRequest) -> String {
        request.canonicalHeaderMap().filter { $0.key.hasPrefix("x-oss-") }
            .sorted { $0.key < $1.key }.map { $0.key + ":" + $0.value + "\n" }.joined()
    }

    /// The StringToSign. `dateLine` is the `x-oss-date` header if present, else `Date`
    /// (for header signing) or the `Expires` value (presigned); pass nil to pick from the headers.
    public static func stringToSign(_ request: SigningRequest, dateLine: String? = nil) -> String {
        let date = dateLine ?? request.header("x-oss-date") ?? request.header("Date") ?? ""
        return request.method + "\n" + (request.header("Content-MD5") ?? "") + "\n"
            + (request.header("Content-Type") ?? "") + "\n" + date + "\n"
            + canonicalizedOSSHeaders(request) + canonicalizedResource(request)
    }

    /// base64(HMAC-SHA1(secret, stringToSign)).
    public static func signature(stringToSign: String, secret: String) -> String {
        Digest.hmacSHA1(key: Data(secret.utf8), Data(stringToSign.utf8)).base64EncodedString()
    }

    /// Signs `request` in place: sets `Date` (from `date`, unless already present), the STS header and
    /// `Authorization`. Returns the StringToSign (for debug logs).
    @discardableResult
    public static func sign(_ request: inout SigningRequest, credentials: Credentials, date: Date = Date()) -> String {
        if request.header("Date") == nil { request.setHeader("Date", HTTPDate.rfc1123(date)) }
        if let token = credentials.securityToken { request.setHeader("x-oss-security-token", token) }
        let sts = stringToSign(request)
        request.setHeader("Authorization",
                          "OSS " + credentials.accessKeyId + ":" + signature(stringToSign: sts, secret: credentials.accessKeySecret))
        return sts
    }

    /// Presigns `request`: returns the query items to append (decoded values: `OSSAccessKeyId`,
    /// `Expires`, `Signature`, and `security-token` with STS). `request.query` must already hold the
    /// request's own items.
    public static func presign(_ request: SigningRequest, credentials: Credentials,
                               expires: Date) -> [(name: String, value: String)] {
        var r = request
        if let token = credentials.securityToken { r.query.append(("security-token", token)) }
        let exp = String(Int64(expires.timeIntervalSince1970))
        let sig = signature(stringToSign: stringToSign(r, dateLine: exp), secret: credentials.accessKeySecret)
        var items: [(name: String, value: String)] = [("OSSAccessKeyId", credentials.accessKeyId), ("Expires", exp),
                                                      ("Signature", sig)]
        if let token = credentials.securityToken { items.append(("security-token", token)) }
        return items
    }
}
