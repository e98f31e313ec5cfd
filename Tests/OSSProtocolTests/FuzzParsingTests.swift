import Foundation
import OSSProtocol
import XCTest
import TestSupport

/// Seeded fuzzing of the text parsers a server meets before authentication: the Authorization
/// header and presigned query parser, V4 credential scopes, percent decoding and query splitting,
/// object-name rules and HTTP dates. Hostile input never crashes; round trips hold where defined.
final class FuzzParsingTests: XCTestCase {
    func testAuthorizationParserSurvivesHostileHeaders() {
        FuzzInput.run(#function) { rng, _ in
            let valid = rng.chance(0.5) ? v1Header(&rng).text : v4Header(&rng).text
            let header = String(decoding: rng.chance(0.2) ? rng.bytes(rng.int(0...200)) : rng.mutate(Array(valid.utf8)),
                                as: UTF8.self)
            _ = try? RequestAuthorization.parseHeader(header)
            _ = try? RequestAuthorization.parse(authorization: rng.chance(0.8) ? header : nil, query: randomQuery(&rng))
            _ = V4Credential(parsing: rng.chance(0.5) ? header : rng.anyString())
        }
    }

    func testAuthorizationHeadersParseBackToTheirFields() throws {
        try FuzzInput.run(#function) { rng, context in
            let v1 = v1Header(&rng)
            XCTAssertEqual(try RequestAuthorization.parseHeader(v1.text), v1.parsed, context)
            let v4 = v4Header(&rng)
            XCTAssertEqual(try RequestAuthorization.parseHeader(v4.text), v4.parsed, context)
            XCTAssertEqual(try RequestAuthorization.parse(authorization: v4.text, query: []), v4.parsed, context)
            XCTAssertThrowsError(try RequestAuthorization.parse(authorization: v1.text, query: [("Signature", "x")]), context)
        }
    }

    func testPresignedQueriesParseBackToTheirFields() throws {
        try FuzzInput.run(#function) { rng, context in
            let ak = rng.token(1...30), sig = rng.token(1...44), expires = Int64(rng.int(0...Int(Int32.max)))
            var query = [(name: "OSSAccessKeyId", value: ak), (name: "Expires", value: String(expires)), (name: "Signature", value: sig)]
            query += randomQuery(&rng).filter { !["OSSAccessKeyId", "Expires", "Signature"].contains($0.name) && !$0.name.hasPrefix("x-oss-") }
            XCTAssertEqual(try RequestAuthorization.parse(authorization: nil, query: query.shuffled(using: &rng)),
                           .v1Query(accessKeyId: ak, expires: expires, signature: sig), context)
            let cred = V4Credential(accessKeyId: rng.token(1...30), date: "2023\(rng.int(10...12))\(rng.int(10...28))",
                                    region: rng.token(1...20))
            let v4: [(name: String, value: String)] = [
                ("x-oss-signature-version", "OSS4-HMAC-SHA256"), ("x-oss-credential", "\(cred.accessKeyId)/\(cred.scope)"),
                ("x-oss-date", "20231216T162057Z"), ("x-oss-expires", String(expires)), ("x-oss-signature", sig)]
            XCTAssertEqual(try RequestAuthorization.parse(authorization: nil, query: v4.shuffled(using: &rng)),
                           .v4Query(credential: cred, dateTime: "20231216T162057Z", expiresIn: expires,
                                    additionalHeaders: [], signature: sig), context)
        }
    }

    func testPercentDecodingSurvivesHostileInputAndInvertsEncoding() {
        FuzzInput.run(#function) { rng, context in
            let s = rng.anyString()
            XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encode(s)), s, context)
            XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encodePath(s)), s, context)
            XCTAssertEqual(PercentEncoding.decodeQuery(PercentEncoding.encodeQuery(s), plusAsSpace: true), s, context)
            let hostile = String(decoding: rng.mutate(Array(PercentEncoding.encode(s).utf8)), as: UTF8.self)
            if let d = PercentEncoding.decode(hostile) {
                // Whatever decodes must be what its own encoding decodes to.
                XCTAssertEqual(PercentEncoding.decode(PercentEncoding.encode(d)), d, context)
            }
            _ = PercentEncoding.decodeQuery(hostile, plusAsSpace: rng.chance(0.5))
            _ = PercentEncoding.parseQuery(hostile)
        }
    }

    func testQueryStringsSplitBackIntoTheirItems() {
        FuzzInput.run(#function) { rng, context in
            let items = (0..<rng.int(1...8)).map { _ in (name: rng.anyString(maxScalars: 10) + "n", value: rng.anyString(maxScalars: 10)) }
            let raw = items.map { PercentEncoding.encodeQuery($0.name) + ($0.value.isEmpty && rng.chance(0.5) ? "" : "=" + PercentEncoding.encodeQuery($0.value)) }
                .joined(separator: "&")
            let parsed = PercentEncoding.parseQuery(raw)
            XCTAssertEqual(parsed.map(\.name), items.map(\.name), context)
            XCTAssertEqual(parsed.map(\.value), items.map(\.value), context)
        }
    }

    func testNameAndDateParsersSurviveHostileInput() {
        FuzzInput.run(#function) { rng, context in
            let s = rng.chance(0.5) ? rng.anyString(maxScalars: 1100) : String(repeating: "k", count: rng.int(1020...1030))
            let problem = ObjectName.problem(s)
            XCTAssertEqual(ObjectName.isValid(s), problem == nil, context)
            if s.utf8.count > ObjectName.maxBytes { XCTAssertNotNil(problem, context) }
            _ = BucketName.isValid(s)
            let date = rng.date()
            XCTAssertEqual(HTTPDate.parseRFC1123(HTTPDate.rfc1123(date)), date, context)
            XCTAssertEqual(HTTPDate.parseISO8601(HTTPDate.iso8601(date)), date, context)
            XCTAssertEqual(HTTPDate.parseISO8601Basic(HTTPDate.iso8601Basic(date)), date, context)
            let hostile = String(decoding: rng.mutate(Array(HTTPDate.rfc1123(date).utf8)), as: UTF8.self)
            _ = HTTPDate.parseRFC1123(hostile)
            _ = HTTPDate.parseISO8601(hostile)
            _ = HTTPDate.parseISO8601Basic(hostile)
        }
    }

    // MARK: Generators

    private func v1Header(_ rng: inout FuzzInput) -> (text: String, parsed: RequestAuthorization) {
        let ak = rng.token(1...30), sig = rng.token(20...28) + "="
        let text = "OSS " + String(repeating: " ", count: rng.int(0...2)) + "\(ak):\(sig)"
        return (text, .v1Header(accessKeyId: ak, signature: sig))
    }

    private func v4Header(_ rng: inout FuzzInput) -> (text: String, parsed: RequestAuthorization) {
        let cred = V4Credential(accessKeyId: rng.token(1...30), date: "20\(rng.int(10...99))0\(rng.int(1...9))1\(rng.int(0...9))",
                                region: rng.pick(["cn-hangzhou", "us-east-1", "cb-123"]) , product: rng.pick(["oss", "oss-cloudbox"]))
        let additional = (0..<rng.int(0...3)).map { _ in rng.token(1...10).lowercased() }
        let sig = (0..<64).map { _ in rng.pick(Array("0123456789abcdef")) }.map(String.init).joined()
        var fields = ["Credential=\(cred.accessKeyId)/\(cred.scope)", "Signature=\(sig)"]
        if !additional.isEmpty { fields.append("AdditionalHeaders=\(additional.joined(separator: ";"))") }
        fields.shuffle(using: &rng)
        let sep = rng.pick([",", ", ", " , "])
        return ("OSS4-HMAC-SHA256 " + fields.joined(separator: sep),
                .v4Header(credential: cred, additionalHeaders: additional, signature: sig))
    }

    private func randomQuery(_ rng: inout FuzzInput) -> [(name: String, value: String)] {
        let names = ["OSSAccessKeyId", "Expires", "Signature", "x-oss-signature-version", "x-oss-credential",
                     "x-oss-date", "x-oss-expires", "x-oss-signature", "x-oss-additional-headers", "acl", "symlink"]
        return (0..<rng.int(0...6)).map { _ in
            (name: rng.chance(0.8) ? rng.pick(names) : rng.anyString(maxScalars: 8),
             value: rng.chance(0.3) ? "OSS4-HMAC-SHA256" : rng.anyString(maxScalars: 20))
        }
    }
}
