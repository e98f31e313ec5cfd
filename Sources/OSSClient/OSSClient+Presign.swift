import Foundation

extension OSSClient {
    /// A presigned URL for `method` on `key`, valid `expiresIn` seconds (V4: at most 604800), signed
    /// with the configured signature version. Anyone holding it can make that one request.
    public func presignedURL(for key: String, method: String = "GET", expiresIn: Int = 3600, date: Date = Date()) throws -> URL {
        try ObjectName.validate(key)
        let request = SigningRequest(method: method, bucket: configuration.bucket, key: key)
        let items: [(name: String, value: String)]
        switch configuration.signatureVersion {
        case .v1:
            items = SignerV1.presign(request, credentials: configuration.credentials,
                                     expires: date.addingTimeInterval(TimeInterval(expiresIn)))
        case .v4:
            items = SignerV4.presign(request, credentials: configuration.credentials, region: region, date: date,
                                     expiresIn: expiresIn)
        }
        guard let url = URL(string: addressing.url(key: key, query: items)) else {
            throw TransportError(.other, "cannot form a presigned URL for \(key)")
        }
        return url
    }
}
