/// The answers that mean "these credentials are no longer good": worth fetching new ones once.
enum CredentialRefusal {
    static let codes: Set<String> = ["SecurityTokenExpired", "InvalidAccessKeyId", "InvalidSecurityToken"]

    static func isRefusal(status: Int, code: String) -> Bool { status == 403 && codes.contains(code) }
}
