import Foundation
import OSSClient
import XCTest

/// Signatures and STS tokens as the real server checks them.
final class AuthenticationTests: ServerTestCase {
    override var serverArguments: [String] { ["--sts-token", "sts-token-value/+="] }

    func testSTSTokenIsSentInBothSignatureVersions() async throws {
        for version in [SignatureVersion.v4, .v1] {
            let c = try client(version, token: "sts-token-value/+=")
            try await c.putObject("sts-\(version)", body: .bytes(Data("t".utf8)), options: WriteOptions())
            let got = try await c.getObject("sts-\(version)", range: nil)
            XCTAssertEqual(got, Data("t".utf8))
            let wrong = try client(version, token: "other-token")
            await assertOSSError("InvalidSecurityToken", 403) { try await wrong.getObject("sts-\(version)", range: nil) }
        }
    }

    func testWrongSecretIsSignatureDoesNotMatch() async throws {
        for version in [SignatureVersion.v4, .v1] {
            let c = try client(version, secret: "not-the-secret")
            do {
                _ = try await c.getObject("x", range: nil)
                XCTFail("expected SignatureDoesNotMatch")
            } catch let e as OSSError {
                XCTAssertEqual(e.code, "SignatureDoesNotMatch")
                XCTAssertEqual(e.httpStatus, 403)
                XCTAssertNotNil(e.extras["StringToSign"])
            }
            await assertOSSError("SignatureDoesNotMatch", 403) { try await c.headObject("x") }
        }
    }
}
