import OSSProtocol

/// The error answers this server produces. Codes, statuses and ECs follow oss-protocol.md 2.14 and
/// section 1; where that document marks something UNCONFIRMED the choice is noted.
extension ServerError {
    static func noSuchBucket(_ name: String) -> ServerError {
        ServerError(.noSuchBucket, "The specified bucket does not exist.", ec: "0015-00000101",
                    extras: [("BucketName", name)])
    }
    static func noSuchKey(_ key: String) -> ServerError {
        ServerError(.noSuchKey, "The specified key does not exist.", ec: "0026-00000001", extras: [("Key", key)])
    }
    static func noSuchUpload(_ id: String) -> ServerError {
        ServerError(.noSuchUpload, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                    ec: "0042-00000002", extras: [("UploadId", id)])
    }
    static let symlinkTargetNotExist = ServerError(.symlinkTargetNotExist, "The symlink target object does not exist",
                                                   ec: "0026-00000012")
    static let invalidTargetType = ServerError(.invalidTargetType, "The symbolic's target file type is invalid",
                                               ec: "0026-00000011")
    /// Status 400: UNCONFIRMED in oss-protocol.md 1.3, "most likely 400".
    static let notSymlink = ServerError(.notSymlink, "The specified object is not a symlink.", ec: "0043-00000101")
    static func bucketAlreadyExists(_ name: String) -> ServerError {
        ServerError(.bucketAlreadyExists, "The requested bucket name is not available.", ec: "0015-00000104",
                    extras: [("BucketName", name)])
    }
    static func bucketNotEmpty(_ name: String) -> ServerError {
        ServerError(.bucketNotEmpty, "The bucket you tried to delete is not empty.", ec: "0015-00000301",
                    extras: [("BucketName", name)])
    }
    static func invalidBucketName(_ name: String) -> ServerError {
        ServerError(.invalidBucketName, "The specified bucket is not valid.", ec: "0015-00000001",
                    extras: [("BucketName", name)])
    }
    static func invalidObjectName(_ key: String) -> ServerError {
        ServerError(.invalidObjectName, "The specified object is not valid.", ec: "0016-00000005")
    }
    static func invalidArgument(_ message: String, name: String? = nil, value: String? = nil) -> ServerError {
        var extras: [(name: String, value: String)] = []
        if let name { extras.append(("ArgumentName", name)) }
        if let value { extras.append(("ArgumentValue", value)) }
        return ServerError(.invalidArgument, message, ec: "0016-00000001", extras: extras)
    }
    static func accessDenied(_ message: String = "You have no right to access this object because of bucket acl.") -> ServerError {
        ServerError(.accessDenied, message, ec: "0003-00000001")
    }
    static func invalidAccessKeyId(_ id: String) -> ServerError {
        ServerError(.invalidAccessKeyId, "The OSS Access Key Id you provided does not exist in our records.",
                    ec: "0002-00000901", extras: [("OSSAccessKeyId", id)])
    }
    static let requestTimeTooSkewed = ServerError(.requestTimeTooSkewed,
        "The difference between the request time and the current time is too large.", ec: "0002-00000504")
    /// 403, as OSS answers a temporary credential past its expiry. Its EC is UNCONFIRMED (not found
    /// in the docs or SDKs searched): none is sent.
    static let securityTokenExpired = ServerError(.securityTokenExpired, "The security token you provided has expired.",
                                                  ec: "")
    /// OSS's answer to a V4 scope with another region (alibabacloud-oss-go-sdk-v2 issues 29 and 85).
    static let invalidSigningRegion = ServerError(.invalidArgument, "Invalid signing region in Authorization header.",
                                                  ec: "0002-00000226")
    /// `--qps-limit-storm`: HTTP 503 (OSS does not document the status of QpsLimitExceeded).
    static let qpsLimitExceeded = ServerError(.qpsLimitExceeded, "Please reduce your request rate.", ec: "0004-00000302")
    /// `--public-endpoint-forbidden`: as OSS answers data requests on a mainland-China public endpoint
    /// for accounts created after 2025-03-20.
    static let publicEndpointForbidden = ServerError(.publicEndpointForbidden,
        "Public endpoint is forbidden for this bucket, please use a custom domain name.", ec: "0048-00000401")
    static let invalidSecurityToken = ServerError(.invalidSecurityToken, "The security token you provided is invalid.",
                                                  ec: "0002-00000001")
    static let fileAlreadyExists = ServerError(.fileAlreadyExists, "The object you specified already exists and can not be overwritten.",
                                               ec: "0016-00000902")
    static let invalidDigest = ServerError(.invalidDigest, "The Content-MD5 you specified is not valid.", ec: "0016-00000301")
    static let malformedXML = ServerError(.malformedXML, "The XML you provided was not well-formed or did not validate against our published schema.",
                                          ec: "0016-00000608")
    static let requestTimeout = ServerError(.requestTimeout, "Your socket connection to the server was not read from or written to within the timeout period.",
                                            ec: "0002-00000008")
    static let missingContentLength = ServerError(.missingContentLength, "You must provide the Content-Length HTTP header.",
                                                  ec: "0016-00000102")
    static let preconditionFailed = ServerError(.preconditionFailed, "At least one of the pre-conditions you specified did not hold.",
                                                ec: "0016-00000302")
    /// 304 carries no error document; the code names it in logs and tests only.
    static let notModified = ServerError(304, "NotModified", "Not Modified", ec: "0016-00000303")
    static let invalidRange = ServerError(.invalidRange, "The requested range cannot be satisfied", ec: "0016-00000203")
    static let invalidPart = ServerError(.invalidPart, "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
                                         ec: "0042-00000204")
    static let invalidPartOrder = ServerError(.invalidPartOrder, "The list of parts was not in ascending order. Parts list must specified in order by part number.",
                                              ec: "0042-00000205")
    /// Code per the Java SDK table (UNCONFIRMED for Complete in oss-protocol.md 2.12).
    static let entityTooSmall = ServerError(.entityTooSmall, "Your proposed upload is smaller than the minimum allowed size.",
                                            ec: "0042-00000206")
    static let entityTooLarge = ServerError(.entityTooLarge, "Your proposed upload exceeds the maximum allowed size.",
                                            ec: "0016-00000103")
    static let objectNotAppendable = ServerError(.objectNotAppendable, "The object is not appendable",
                                                 ec: "0026-00000006")
    static func positionNotEqualToLength(_ length: Int64) -> ServerError {
        ServerError(.positionNotEqualToLength, "Position is not equal to file length", ec: "0026-00000007",
                    headers: [("x-oss-next-append-position", String(length))])
    }
    /// User metadata over 8 KB: oss-protocol.md 2.2 (EC 0011-00000002; Code string UNCONFIRMED, 400 InvalidArgument chosen).
    static let metadataTooLarge = ServerError(.invalidArgument, "Your metadata headers exceed the maximum allowed metadata size.",
                                              ec: "0011-00000002")
    static func invalidMetadataName(_ name: String) -> ServerError {
        ServerError(.invalidArgument, "The user metadata name \(name) is invalid.", ec: "0011-00000004")
    }
    static let methodNotAllowed = ServerError(.methodNotAllowed, "The specified method is not allowed against this resource.",
                                              ec: "0016-00000001")
    static let notImplemented = ServerError(.notImplemented, "A header you provided implies functionality that is not implemented.",
                                            ec: "0016-00000001")
    static let serviceUnavailable = ServerError(.serviceUnavailable, "Please reduce your request rate.",
                                                ec: "0001-00000503")
    static func internalError(_ detail: String) -> ServerError {
        ServerError(.internalError, "We encountered an internal error. Please try again. (\(detail))", ec: "0001-00000001")
    }
    /// 400, not the 411 of the Java SDK table: PutSymlink without `x-oss-symlink-target` is a bad
    /// request (EC 0043-00000001; the code string is UNCONFIRMED in oss-protocol.md 1.2).
    static let missingArgument = ServerError(.missingArgument, "Missing Some Required Arguments.", ec: "0043-00000001", status: 400)
}
