import Foundation
import TestSupport
import XCTest

/// Temporary (STS) credentials that the server expires one after another while the mount runs:
/// `--sts-credentials` on the server, and each of the mount's refreshing sources on the client.
/// Every round issues a new key through the source, then expires the previous one at the server,
/// then writes through the mount: the write can only succeed with the new key.
final class CredentialRotationMountTests: MountTestCase {
    private lazy var stsFile = FileManager.default.temporaryDirectory
        .appendingPathComponent("ossfuse-sts-\(UUID().uuidString)").path

    override var serverArguments: [String] { ["--sts-credentials", stsFile] }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: stsFile)
        try super.tearDownWithError()
    }

    /// One temporary credential.
    private struct Key {
        let id = "STS." + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
        let secret = UUID().uuidString
        let token = "token-" + UUID().uuidString

        var json: String {
            """
            {"AccessKeyId": "\(id)", "AccessKeySecret": "\(secret)", "SecurityToken": "\(token)",
             "Expiration": "\(ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: 3600)))", "Code": "Success"}
            """
        }
    }

    /// Writes the server's STS file: `current` valid for an hour, every key in `expired` already expired.
    private func publish(_ current: Key, expired: [Key]) throws {
        let now = Int(Date().timeIntervalSince1970)
        let lines = expired.map { "\($0.id):\($0.secret):\($0.token):\(now - 10)" }
            + ["\(current.id):\(current.secret):\(current.token):\(now + 3600)"]
        try Self.replace(stsFile, with: lines.joined(separator: "\n") + "\n")
    }

    /// Atomic replacement (write beside, rename), as secret stores rotate files.
    private static func replace(_ path: String, with text: String) throws {
        let temporary = path + ".new"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, path) == 0 else { throw MountError("rename \(temporary): \(errno)") }
    }

    /// Three expiries: after each, a write and a read through the mount succeed.
    private func rotateThreeTimes(_ m: MountedBucket, first: Key, issue: (Key) throws -> Void) throws {
        var issued = [first]
        try sh(m, "printf 0 > f0")
        for round in 1...3 {
            let next = Key()
            try issue(next)
            try publish(next, expired: issued)
            issued.append(next)
            try sh(m, "printf \(round) > f\(round) && cat f\(round) && ls")
            XCTAssertEqual(try sh(m, "cat f\(round)"), "\(round)")
        }
        XCTAssertEqual(try sh(m, "cat f0 f1 f2 f3"), "0123")
        XCTAssertEqual(try keys(), ["f0", "f1", "f2", "f3"])
    }

    func testCredentialsDirectoryAcrossThreeExpiries() throws {
        let dir = scratch + "/creds"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func issue(_ key: Key) throws {
            for (name, value) in [("AccessKeyId", key.id), ("AccessKeySecret", key.secret), ("SecurityToken", key.token)] {
                try Self.replace(dir + "/" + name, with: value + "\n")
            }
        }
        let first = Key()
        try issue(first)
        try publish(first, expired: [])
        let m = try mount(options: ["credentials_dir=\(dir)"])
        try rotateThreeTimes(m, first: first, issue: issue)
    }

    func testCredentialProcessAcrossThreeExpiries() throws {
        let document = scratch + "/creds.json"
        let first = Key()
        try Self.replace(document, with: first.json)
        try publish(first, expired: [])
        let m = try mount(options: ["credential_process=/bin/cat \(document)"])
        try rotateThreeTimes(m, first: first) { try Self.replace(document, with: $0.json) }
    }

    func testECSRoleFromAMetadataStubAcrossThreeExpiries() throws {
        let root = scratch + "/metadata"
        let roleDir = root + "/latest/meta-data/ram/security-credentials"
        try FileManager.default.createDirectory(atPath: roleDir, withIntermediateDirectories: true)
        let first = Key()
        try Self.replace(roleDir + "/ossfuse-role", with: first.json)
        try publish(first, expired: [])
        // A plain static file server on loopback stands in for 100.100.100.200 (it refuses the token
        // PUT, as an instance in normal mode may: the GET then goes without a token).
        let stub = try HelperProcess("/usr/bin/python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                                                          "--directory", root]) { $0.contains(" port ") }
        let port = try XCTUnwrap(stub.started.stdoutText.split(separator: " ").drop { $0 != "port" }.dropFirst().first)
        let m = try mount(options: ["ram_role=ossfuse-role", "ecs_metadata_url=http://127.0.0.1:\(port)"])
        try rotateThreeTimes(m, first: first) { try Self.replace(roleDir + "/ossfuse-role", with: $0.json) }
        stub.stop()
    }

    func testAnExpiredTokenWithNothingNewerIsRefused() throws {
        let dir = scratch + "/creds"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let key = Key()
        for (name, value) in [("AccessKeyId", key.id), ("AccessKeySecret", key.secret), ("SecurityToken", key.token)] {
            try Self.replace(dir + "/" + name, with: value)
        }
        try publish(Key(), expired: [key])
        XCTAssertThrowsError(try mount(options: ["credentials_dir=\(dir)"])) { error in
            XCTAssertTrue("\(error)".contains("SecurityTokenExpired"), "\(error)")
            XCTAssertTrue("\(error)".contains("credentials_dir"), "\(error)")
        }
    }

    func testAFailingCredentialProcessIsAOneLineMountError() throws {
        XCTAssertThrowsError(try mount(options: ["credential_process=echo no role here >&2; exit 3"])) { error in
            XCTAssertTrue("\(error)".contains("no credentials: credential_process \"echo no role here >&2; exit 3\" exited with status 3: no role here"),
                          "\(error)")
        }
    }
}
