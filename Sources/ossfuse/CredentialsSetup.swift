import Foundation
import OSSClient

/// Turns the credential options into the provider the client consults before every request:
/// a directory, a command or the ECS RAM role (temporary credentials, refreshed), else the static
/// key of `AccessKeyLoader` (passwd file or environment).
enum CredentialsSetup {
    /// The provider for `settings`; refreshes and refresh failures are logged as "ossfuse.credentials".
    static func provider(_ settings: MountSettings,
                         ) throws(MountSettingsError) -> any CredentialsProvider {
        let connection = settings.connection
        try connection.validate(passwdFile: settings.passwdFile)
        let source: any CredentialSource
        if let dir = connection.credentialsDirectory {
            source = CredentialsDirectorySource(directory: dir)
        } else if let command = connection.credentialProcess {
            source = CredentialProcessSource(command: command)
        } else if let role = connection.ramRole {
            do {
                source = try ECSRoleSource(role: role, metadataURL: connection.ecsMetadataURL ?? ECSRoleSource.defaultMetadataURL)
            } catch {
                throw MountSettingsError("ram_role \(role): \(error)")
            }
        } else {
            let key = try AccessKeyLoader.load(bucket: settings.bucket, passwdFile: settings.passwdFile)
            return StaticCredentialsProvider(Credentials(accessKeyId: key.id, accessKeySecret: key.secret,
                                                         securityToken: key.securityToken))
        }
        return RefreshingCredentialsProvider(source: source)
    }

    /// Where credentials come from, for messages: `credential_process "cmd"`, `OSS_SESSION_TOKEN`...
    static func sourceName(_ settings: MountSettings) -> String {
        let c = settings.connection
        if let dir = c.credentialsDirectory { return "credentials_dir \(dir)" }
        if let command = c.credentialProcess { return "credential_process \"\(command)\"" }
        if let role = c.ramRole { return "ram_role \(role)" }
        if let file = settings.passwdFile { return "passwd_file \(file)" }
        return "OSS_ACCESS_KEY_ID / OSS_SESSION_TOKEN"
    }
}
