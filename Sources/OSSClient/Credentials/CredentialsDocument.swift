import Foundation

/// The JSON credentials document shared by the ECS metadata service
/// (`/latest/meta-data/ram/security-credentials/ROLE`) and ossfs 2.0's `credential_process`:
/// `{"AccessKeyId": ..., "AccessKeySecret": ..., "SecurityToken": ..., "Expiration": "2026-01-01T00:00:00Z"}`.
/// `SecurityToken` and `Expiration` are optional; a `Code` other than `Success` is a refusal.
public enum CredentialsDocument {
    /// Parses `data`; `source` names where it came from in errors.
    public static func parse(_ data: Data, source: String) throws -> ExpiringCredentials {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CredentialsError("\(source) did not give a JSON object")
        }
        if let code = object["Code"] as? String, code != "Success" {
            throw CredentialsError("\(source) answered Code \(code)")
        }
        guard let id = object["AccessKeyId"] as? String, !id.isEmpty,
              let secret = object["AccessKeySecret"] as? String, !secret.isEmpty else {
            throw CredentialsError("\(source) gave no AccessKeyId and AccessKeySecret")
        }
        let token = (object["SecurityToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var expiration: Date?
        if let text = object["Expiration"] as? String, !text.isEmpty {
            guard let date = parseExpiration(text) else {
                throw CredentialsError("\(source) gave an Expiration that is not ISO 8601: \(text)")
            }
            expiration = date
        }
        return ExpiringCredentials(Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: token),
                                   expiration: expiration)
    }

    /// `2026-01-01T00:00:00Z`, with or without fractional seconds or an offset.
    public static func parseExpiration(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: trimmed) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: trimmed)
    }
}
