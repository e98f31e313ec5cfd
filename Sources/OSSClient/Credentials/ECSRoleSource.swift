import Foundation

/// `-o ram_role=NAME`: the temporary credentials of the ECS instance's RAM role, from the instance
/// metadata service: `GET {metadata}/latest/meta-data/ram/security-credentials/NAME` (the
/// `CredentialsDocument` format, with `Expiration`), after asking for a hardened-mode token with
/// `PUT {metadata}/latest/api/token` (`X-aliyun-ecs-metadata-token-ttl-seconds`); when no token is
/// given (normal mode) the GET goes without one, as ossfs 2.0 does.
public final class ECSRoleSource: CredentialSource {
    /// The instance metadata service (`http://100.100.100.200`), overridable for tests.
    public static let defaultMetadataURL = "http://100.100.100.200"
    /// The role name.
    public let role: String
    /// The metadata service's base URL, without a trailing slash.
    public let metadataURL: String
    private let loop: CurlMultiLoop

    /// A source for `role` at `metadataURL`.
    public init(role: String, metadataURL: String = ECSRoleSource.defaultMetadataURL) throws {
        self.role = role
        var base = metadataURL
        while base.hasSuffix("/") { base.removeLast() }
        self.metadataURL = base
        loop = try CurlMultiLoop(maxTransfers: 1, settings: TransferSettings(connectTimeout: 5, lowSpeedTimeout: 10))
    }

    deinit { loop.shutdown() }

    /// `ram_role NAME`.
    public var name: String { "ram_role \(role) (metadata service \(metadataURL))" }

    /// Asks the metadata service.
    public func fetch() async throws -> ExpiringCredentials {
        var headers: [(name: String, value: String)] = []
        if let token = try? await loop.perform(HTTPRequest(method: "PUT", url: metadataURL + "/latest/api/token",
                                                           headers: [("X-aliyun-ecs-metadata-token-ttl-seconds", "180")])),
           token.status == 200, !token.body.isEmpty {
            headers.append(("X-aliyun-ecs-metadata-token", String(decoding: token.body, as: UTF8.self)))
        }
        let url = metadataURL + "/latest/meta-data/ram/security-credentials/" + PercentEncoding.encodePath(role)
        let response: HTTPResponse
        do {
            response = try await loop.perform(HTTPRequest(method: "GET", url: url, headers: headers))
        } catch let failure as TransportFailure {
            throw CredentialsError("\(name): \(failure.error.message)")
        }
        guard response.status == 200 else {
            throw CredentialsError("\(name) answered HTTP \(response.status) for role \(role)")
        }
        return try CredentialsDocument.parse(response.body, source: name)
    }
}
