/// The answers that mean "these credentials are no longer good": worth fetching new ones once.
enum CredentialRefusal {
    static let codes: Set<OSSErrorCode> = [.securityTokenExpired, .invalidAccessKeyId, .invalidSecurityToken]

    static func isRefusal(_ error: OSSError) -> Bool {
        error.httpStatus == 403 && error.knownCode.map(codes.contains) == true
    }
}
