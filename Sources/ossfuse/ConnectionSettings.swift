import Foundation
import OSSClient

/// The `-o` options for production OSS: where temporary credentials come from, how the bucket is
/// addressed, which certificate authorities HTTPS trusts. Kept apart from `MountSettings`' other
/// fields so that each group stays small.
struct ConnectionSettings: Sendable, Equatable {
    /// `credentials_dir=DIR`: files AccessKeyId, AccessKeySecret, SecurityToken, Expiration.
    var credentialsDirectory: String?
    /// `credential_process=CMD`: prints the credentials document on stdout.
    var credentialProcess: String?
    /// `ram_role=NAME`: the ECS instance's RAM role.
    var ramRole: String?
    /// `ecs_metadata_url=URL`: the instance metadata service (tests point it at loopback).
    var ecsMetadataURL: String?
    /// `addressing=virtual|path|cname`; nil: path for IP addresses and localhost, else virtual.
    var addressing: AddressingStyle?
    /// `cafile=FILE`: PEM certificate authorities for HTTPS instead of the system's.
    var caFile: String?

    /// Applies one option of this group; false when `name` is not one of them.
    static func apply(_ name: String, _ value: String?, to s: inout ConnectionSettings) throws(MountSettingsError) -> Bool {
        func required() throws(MountSettingsError) -> String {
            guard let value, !value.isEmpty else { throw MountSettingsError("option '\(name)' needs a value (\(name)=...)") }
            return value
        }
        switch name {
        case "credentials_dir": s.credentialsDirectory = try required()
        case "credential_process": s.credentialProcess = try required()
        case "ram_role": s.ramRole = try required()
        case "ecs_metadata_url":
            let url = try required()
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw MountSettingsError("ecs_metadata_url '\(url)' is not an http:// or https:// URL")
            }
            s.ecsMetadataURL = url
        case "addressing":
            let text = try required()
            guard let style = AddressingStyle(rawValue: text) else {
                throw MountSettingsError("addressing must be virtual, path or cname, not '\(text)'")
            }
            s.addressing = style
        case "cafile": s.caFile = try required()
        default: return false
        }
        return true
    }

    /// Contradictions and unusable files, in one sentence each (checked before mounting).
    func validate(passwdFile: String?) throws(MountSettingsError) {
        let sources = [("credentials_dir", credentialsDirectory), ("credential_process", credentialProcess),
                       ("ram_role", ramRole), ("passwd_file", passwdFile)].filter { $0.1 != nil }.map(\.0)
        if sources.count > 1 {
            throw MountSettingsError("options \(sources.joined(separator: " and ")) both give credentials: use one")
        }
        if ecsMetadataURL != nil && ramRole == nil {
            throw MountSettingsError("ecs_metadata_url needs ram_role=NAME")
        }
        if let dir = credentialsDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw MountSettingsError("credentials_dir \(dir) is not a directory")
            }
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw MountSettingsError("cafile \(caFile) cannot be read")
        }
    }
}
