import Foundation
import OSSClient
import XCTest

/// Presigned URLs made by the client, fetched by an unrelated HTTP client (the curl tool).
final class PresignedURLTests: ServerTestCase {
    func fetch(_ url: URL) throws -> (status: Int, body: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "--max-time", "20", "-w", "\n%{http_code}", url.absoluteString]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard let nl = data.lastIndex(of: 0x0A), let status = Int(String(decoding: data[(nl + 1)...], as: UTF8.self)) else {
            throw TransportError(.other, "unexpected curl output")
        }
        return (status, Data(data[..<nl]))
    }

    func testPresignedGetWorksForBothVersionsAndExpires() async throws {
        for version in [SignatureVersion.v4, .v1] {
            let c = try client(version)
            let key = "pre signed/\(version) 中+%.txt"
            try await c.putObject(key, body: .bytes(Data("presigned body".utf8)), options: WriteOptions())
            let ok = try fetch(try c.presignedURL(for: key, expiresIn: 600))
            XCTAssertEqual(ok.status, 200)
            XCTAssertEqual(ok.body, Data("presigned body".utf8))
            let expired = try fetch(try c.presignedURL(for: key, expiresIn: 60, date: Date().addingTimeInterval(-3600)))
            XCTAssertEqual(expired.status, 403)
            let anonymous = try fetch(URL(string: server.endpoint.absoluteString + "/test/" + PercentEncoding.encodePath(key))!)
            XCTAssertEqual(anonymous.status, 403)
        }
    }
}
