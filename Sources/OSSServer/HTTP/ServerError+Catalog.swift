import OSSProtocol

/// The error answers this server produces. Codes, statuses, messages and ECs come from the shared
/// table (`OSSErrorCode`, after oss-protocol.md 2.14 and section 1); what is chosen here is only
/// which extras an answer carries and where one code has several documented answers.
extension ServerError {
    static func noSuchBucket(_ name: String) -> ServerError { ServerError(.noSuchBucket, extras: [("BucketName", name)]) }
    static func noSuchKey(_ key: String) -> ServerError { ServerError(.noSuchKey, extras: [("Key", key)]) }
    static func noSuchUpload(_ id: String) -> ServerError { ServerError(.noSuchUpload, extras: [("UploadId", id)]) }
    static let symlinkTargetNotExist = ServerError(.symlinkTargetNotExist)
    static let invalidTargetType = ServerError(.invalidTargetType)
    /// Status 400: UNCONFIRMED in oss-protocol.md 1.3, "most likely 400".
    static let notSymlink = ServerError(.notSymlink)
    static func bucketAlreadyExists(_ name: String) -> ServerError {
        ServerError(.bucketAlreadyExists, extras: [("BucketName", name)])
    }
    static func bucketNotEmpty(_ name: String) -> ServerError { ServerError(.bucketNotEmpty, extras: [("BucketName", name)]) }
    static func invalidBucketName(_ name: String) -> ServerError {
        ServerError(.invalidBucketName, extras: [("BucketName", name)])
    }
    static func invalidObjectName(_ key: String) -> ServerError { ServerError(.invalidObjectName) }
    static func invalidArgument(_ message: String, name: String? = nil, value: String? = nil) -> ServerError {
        var extras: [(name: String, value: String)] = []
        if let name { extras.append(("ArgumentName", name)) }
        if let value { extras.append(("ArgumentValue", value)) }
        return ServerError(.invalidArgument, message, extras: extras)
    }
    static func accessDenied(_ message: String? = nil) -> ServerError { ServerError(.accessDenied, message) }
    static func invalidAccessKeyId(_ id: String) -> ServerError {
        ServerError(.invalidAccessKeyId, extras: [("OSSAccessKeyId", id)])
    }
    static let requestTimeTooSkewed = ServerError(.requestTimeTooSkewed)
    /// 403, as OSS answers a temporary credential past its expiry. Its EC is UNCONFIRMED (not found
    /// in the docs or SDKs searched): none is sent.
    static let securityTokenExpired = ServerError(.securityTokenExpired)
    /// OSS's answer to a V4 scope with another region (alibabacloud-oss-go-sdk-v2 issues 29 and 85).
    static let invalidSigningRegion = ServerError(.invalidArgument, "Invalid signing region in Authorization header.",
                                                  ec: "0002-00000226")
    /// `--qps-limit-storm`: HTTP 503 (OSS does not document the status of QpsLimitExceeded).
    static let qpsLimitExceeded = ServerError(.qpsLimitExceeded)
    /// `--public-endpoint-forbidden`: as OSS answers data requests on a mainland-China public endpoint
    /// for accounts created after 2025-03-20.
    static let publicEndpointForbidden = ServerError(.publicEndpointForbidden)
    static let invalidSecurityToken = ServerError(.invalidSecurityToken)
    static let fileAlreadyExists = ServerError(.fileAlreadyExists)
    static let invalidDigest = ServerError(.invalidDigest)
    static let malformedXML = ServerError(.malformedXML)
    static let requestTimeout = ServerError(.requestTimeout)
    static let missingContentLength = ServerError(.missingContentLength)
    static let preconditionFailed = ServerError(.preconditionFailed)
    /// 304 carries no error document; the code names it in logs and tests only.
    static let notModified = ServerError(.notModified)
    static let invalidRange = ServerError(.invalidRange)
    static let invalidPart = ServerError(.invalidPart)
    static let invalidPartOrder = ServerError(.invalidPartOrder)
    /// Code per the Java SDK table (UNCONFIRMED for Complete in oss-protocol.md 2.12).
    static let entityTooSmall = ServerError(.entityTooSmall)
    static let entityTooLarge = ServerError(.entityTooLarge)
    static let objectNotAppendable = ServerError(.objectNotAppendable)
    static func positionNotEqualToLength(_ length: Int64) -> ServerError {
        ServerError(.positionNotEqualToLength, headers: [("x-oss-next-append-position", String(length))])
    }
    /// User metadata over 8 KB: oss-protocol.md 2.2 (EC 0011-00000002; Code string UNCONFIRMED, 400 InvalidArgument chosen).
    static let metadataTooLarge = ServerError(.invalidArgument, "Your metadata headers exceed the maximum allowed metadata size.",
                                              ec: "0011-00000002")
    static func invalidMetadataName(_ name: String) -> ServerError {
        ServerError(.invalidArgument, "The user metadata name \(name) is invalid.", ec: "0011-00000004")
    }
    static let methodNotAllowed = ServerError(.methodNotAllowed)
    static let notImplemented = ServerError(.notImplemented)
    static let serviceUnavailable = ServerError(.serviceUnavailable)
    static func internalError(_ detail: String) -> ServerError {
        ServerError(.internalError, "\(OSSErrorCode.internalError.defaultMessage) (\(detail))")
    }
    /// 400, not the 411 of the Java SDK table: PutSymlink without `x-oss-symlink-target` is a bad
    /// request (EC 0043-00000001; the code string is UNCONFIRMED in oss-protocol.md 1.2).
    static let missingArgument = ServerError(.missingArgument, status: 400)
}
