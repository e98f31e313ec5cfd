import Foundation
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// The server driven through the project's own client (V4 and V1).
final class ServerThroughOSSClientTests: XCTestCase {
    private func client(_ server: ServerProcess, _ version: SignatureVersion) throws -> OSSClient {
        var configuration = ClientConfiguration(
            endpoint: server.endpoint, bucket: "test",
            credentials: Credentials(accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret))
        configuration.signatureVersion = version
        configuration.region = "cn-hangzhou"
        configuration.maxRetries = 0
        return try OSSClient(configuration: configuration)
    }

    func testObjectsSymlinksAndListingThroughOSSClient() async throws {
        let server = try ServerProcess()
        for version in [SignatureVersion.v4, .v1] {
            let oss = try client(server, version)
            let prefix = version == .v4 ? "v4/" : "v1/"
            try await oss.putObject(prefix + "file name+1", body: .bytes(Data("hello".utf8)),
                                    options: WriteOptions(userMetadata: ["mode": "33188"]))
            let meta = try await oss.headObject(prefix + "file name+1")
            XCTAssertEqual(meta.contentLength, 5)
            XCTAssertEqual(meta.userMetadata["mode"], "33188")
            XCTAssertEqual(meta.crc64, CRC64.checksum(Data("hello".utf8)))
            let range = try await oss.getObject(prefix + "file name+1", range: 1..<4)
            XCTAssertEqual(range, Data("ell".utf8))
            try await oss.putSymlink(prefix + "link", target: prefix + "file name+1", options: WriteOptions(forbidOverwrite: true))
            let info = try await oss.getSymlink(prefix + "link")
            XCTAssertEqual(info.target, prefix + "file name+1")
            let through = try await oss.headObject(prefix + "link")
            XCTAssertEqual(through.type, .symlink)
            XCTAssertEqual(through.contentLength, 5)
            do {
                try await oss.putSymlink(prefix + "link", target: "x", options: WriteOptions(forbidOverwrite: true))
                XCTFail("forbid-overwrite must refuse an existing key")
            } catch let error as OSSError {
                XCTAssertEqual(error.code, "FileAlreadyExists")
            }
            let page = try await oss.listObjects(prefix: prefix, delimiter: "/", continuationToken: nil, maxKeys: 1000)
            XCTAssertEqual(page.contents.map(\.key), [prefix + "file name+1", prefix + "link"])
            XCTAssertEqual(page.contents.map(\.type), [.normal, .symlink])
            try await oss.deleteObject(prefix + "link")
            let target = try await oss.getObject(prefix + "file name+1", range: nil)
            XCTAssertEqual(target, Data("hello".utf8))
        }
    }

    func testMissingKeyAndDanglingLinkAreDistinguishableOnHead() async throws {
        let server = try ServerProcess()
        let oss = try client(server, .v4)
        try await oss.putSymlink("dangling", target: "nowhere", options: WriteOptions())
        do {
            _ = try await oss.headObject("dangling")
            XCTFail("dangling link must not HEAD")
        } catch let error as OSSError {
            XCTAssertEqual(error.code, "SymlinkTargetNotExist")
        }
        do {
            _ = try await oss.headObject("absent")
            XCTFail("absent key must not HEAD")
        } catch let error as OSSError {
            XCTAssertEqual(error.code, "NoSuchKey")
        }
    }
}
