/// An OSS error code with its HTTP status, default message and EC where known (oss-protocol.md 2.14).
/// The one table of codes: the client compares errors against these (`OSSError.is`, `knownCode`),
/// the server answers with them (message and EC by default from here), and
/// `scripts/check-layering` refuses a string literal naming a code anywhere else in Sources.
/// An EC left nil is one neither the docs nor the SDKs searched give (none is sent).
public struct OSSErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// The `<Code>` string.
    public let rawValue: String
    /// HTTP status that carries this code.
    public let httpStatus: Int
    /// Message used when none is given.
    public let defaultMessage: String
    /// The `<EC>` / `x-oss-ec` value, when documented.
    public let ec: String?

    /// Declares a code.
    public init(_ rawValue: String, _ httpStatus: Int, _ defaultMessage: String, ec: String? = nil) {
        self.rawValue = rawValue; self.httpStatus = httpStatus; self.defaultMessage = defaultMessage; self.ec = ec
    }

    public var description: String { rawValue }

    public static let accessDenied = OSSErrorCode("AccessDenied", 403, "You have no right to access this object because of bucket acl.", ec: "0003-00000001")
    public static let invalidAccessKeyId = OSSErrorCode("InvalidAccessKeyId", 403, "The OSS Access Key Id you provided does not exist in our records.", ec: "0002-00000901")
    public static let signatureDoesNotMatch = OSSErrorCode("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method.", ec: "0002-00000040")
    public static let requestTimeTooSkewed = OSSErrorCode("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large.", ec: "0002-00000504")
    public static let invalidSecurityToken = OSSErrorCode("InvalidSecurityToken", 403, "The security token you provided is invalid.", ec: "0002-00000001")
    public static let securityTokenExpired = OSSErrorCode("SecurityTokenExpired", 403, "The security token you provided has expired.")
    public static let publicEndpointForbidden = OSSErrorCode("PublicEndpointForbidden", 400, "Public endpoint is forbidden for this bucket, please use a custom domain name.", ec: "0048-00000401")
    public static let qpsLimitExceeded = OSSErrorCode("QpsLimitExceeded", 503, "Please reduce your request rate.", ec: "0004-00000302")
    public static let accessKeyIdAndSecurityTokenNotMatch = OSSErrorCode("AccessKeyIdAndSecurityTokenNotMatch", 403, "The access key id and the security token do not match.")
    public static let invalidObjectState = OSSErrorCode("InvalidObjectState", 403, "The operation is not valid for the object's state")
    public static let secondLevelDomainForbidden = OSSErrorCode("SecondLevelDomainForbidden", 403, "Please use virtual hosted style to access.")
    public static let noSuchBucket = OSSErrorCode("NoSuchBucket", 404, "The specified bucket does not exist.", ec: "0015-00000101")
    public static let noSuchKey = OSSErrorCode("NoSuchKey", 404, "The specified key does not exist.", ec: "0026-00000001")
    public static let noSuchUpload = OSSErrorCode("NoSuchUpload", 404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", ec: "0042-00000002")
    public static let symlinkTargetNotExist = OSSErrorCode("SymlinkTargetNotExist", 404, "The symlink target object does not exist", ec: "0026-00000012")
    public static let methodNotAllowed = OSSErrorCode("MethodNotAllowed", 405, "The specified method is not allowed against this resource.", ec: "0016-00000001")
    public static let invalidArgument = OSSErrorCode("InvalidArgument", 400, "Invalid argument.", ec: "0016-00000001")
    public static let invalidObjectName = OSSErrorCode("InvalidObjectName", 400, "The specified object is not valid.", ec: "0016-00000005")
    public static let invalidBucketName = OSSErrorCode("InvalidBucketName", 400, "The specified bucket is not valid.", ec: "0015-00000001")
    public static let invalidTargetType = OSSErrorCode("InvalidTargetType", 400, "The symbolic's target file type is invalid", ec: "0026-00000011")
    public static let invalidDigest = OSSErrorCode("InvalidDigest", 400, "The Content-MD5 you specified is not valid.", ec: "0016-00000301")
    public static let invalidPart = OSSErrorCode("InvalidPart", 400, "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.", ec: "0042-00000204")
    public static let invalidPartOrder = OSSErrorCode("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts list must specified in order by part number.", ec: "0042-00000205")
    public static let entityTooSmall = OSSErrorCode("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size.", ec: "0042-00000206")
    public static let partNotSequential = OSSErrorCode("PartNotSequential", 400, "Parts must be uploaded sequentially.")
    public static let entityTooLarge = OSSErrorCode("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size.", ec: "0016-00000103")
    public static let malformedXML = OSSErrorCode("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.", ec: "0016-00000608")
    public static let requestTimeout = OSSErrorCode("RequestTimeout", 400, "Your socket connection to the server was not read from or written to within the timeout period.", ec: "0002-00000008")
    public static let invalidEncryptionAlgorithm = OSSErrorCode("InvalidEncryptionAlgorithmError", 400, "The encryption request you specified is not valid.")
    public static let operationNotSupported = OSSErrorCode("OperationNotSupported", 400, "The operation is not supported for this resource.")
    public static let tooManyBuckets = OSSErrorCode("TooManyBuckets", 400, "You have attempted to create more buckets than allowed.")
    /// Status UNCONFIRMED in the docs; 400 chosen (oss-protocol.md 1.3).
    public static let notSymlink = OSSErrorCode("NotSymlink", 400, "The specified object is not a symlink.", ec: "0043-00000101")
    public static let missingContentLength = OSSErrorCode("MissingContentLength", 411, "You must provide the Content-Length HTTP header.", ec: "0016-00000102")
    public static let missingArgument = OSSErrorCode("MissingArgument", 411, "Missing Some Required Arguments.", ec: "0043-00000001")
    public static let preconditionFailed = OSSErrorCode("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold.", ec: "0016-00000302")
    public static let invalidRange = OSSErrorCode("InvalidRange", 416, "The requested range cannot be satisfied", ec: "0016-00000203")
    public static let bucketAlreadyExists = OSSErrorCode("BucketAlreadyExists", 409, "The requested bucket name is not available.", ec: "0015-00000104")
    public static let bucketNotEmpty = OSSErrorCode("BucketNotEmpty", 409, "The bucket you tried to delete is not empty.", ec: "0015-00000301")
    public static let fileAlreadyExists = OSSErrorCode("FileAlreadyExists", 409, "The object you specified already exists and can not be overwritten.", ec: "0016-00000902")
    public static let fileImmutable = OSSErrorCode("FileImmutable", 409, "The object is protected by a retention policy.")
    public static let objectNotAppendable = OSSErrorCode("ObjectNotAppendable", 409, "The object is not appendable", ec: "0026-00000006")
    public static let positionNotEqualToLength = OSSErrorCode("PositionNotEqualToLength", 409, "Position is not equal to file length", ec: "0026-00000007")
    public static let restoreAlreadyInProgress = OSSErrorCode("RestoreAlreadyInProgress", 409, "The restore operation is in progress.")
    public static let internalError = OSSErrorCode("InternalError", 500, "We encountered an internal error. Please try again.", ec: "0001-00000001")
    public static let notImplemented = OSSErrorCode("NotImplemented", 501, "A header you provided implies functionality that is not implemented.", ec: "0016-00000001")
    /// 304 carries no error document; the code names it in logs and tests only.
    public static let notModified = OSSErrorCode("NotModified", 304, "Not Modified", ec: "0016-00000303")
    public static let serviceUnavailable = OSSErrorCode("ServiceUnavailable", 503, "Please reduce your request rate.", ec: "0001-00000503")

    /// Every code above.
    public static let all: [OSSErrorCode] = [
        accessDenied, invalidAccessKeyId, signatureDoesNotMatch, requestTimeTooSkewed, invalidSecurityToken,
        securityTokenExpired, publicEndpointForbidden, qpsLimitExceeded,
        accessKeyIdAndSecurityTokenNotMatch, invalidObjectState, secondLevelDomainForbidden, noSuchBucket, noSuchKey,
        noSuchUpload, symlinkTargetNotExist, methodNotAllowed, invalidArgument, invalidObjectName, invalidBucketName,
        invalidTargetType, invalidDigest, invalidPart, invalidPartOrder, entityTooSmall, partNotSequential,
        entityTooLarge, malformedXML, requestTimeout, invalidEncryptionAlgorithm, operationNotSupported,
        tooManyBuckets, notSymlink, missingContentLength, missingArgument, preconditionFailed, invalidRange,
        bucketAlreadyExists, bucketNotEmpty, fileAlreadyExists, fileImmutable, objectNotAppendable,
        positionNotEqualToLength, restoreAlreadyInProgress, internalError, notImplemented, notModified,
        serviceUnavailable,
    ]

    private static let byName: [String: OSSErrorCode] = Dictionary(all.map { ($0.rawValue, $0) }, uniquingKeysWith: { a, _ in a })

    /// The known code named `name`, nil for codes not in the table.
    public static func named(_ name: String) -> OSSErrorCode? { byName[name] }
}
