import Foundation
import OSSProtocol
import XCTest

/// V4 vectors of oss-protocol.md 3.6.
final class SignerV4Tests: XCTestCase {
    let creds = Credentials(accessKeyId: "ak", accessKeySecret: "sk")
    let query: [(name: String, value: String)] = [("param1", "value1"), ("+param1", "value3"), ("|param1", "value4"),
                                                  ("+param2", ""), ("|param2", ""), ("param2", "")]

    func request(sha256: Bool = true, contentType: String = "text/plain") -> SigningRequest {
        var h: [(name: String, value: String)] = [("x-oss-head1", "value"), ("abc", "value"), ("ZAbc", "value"),
                                                  ("XYZ", "value"), ("content-type", contentType)]
        if sha256 { h.append(("x-oss-content-sha256", "UNSIGNED-PAYLOAD")) }
        return SigningRequest(method: "PUT", bucket: "bucket", key: "1234+-/123/1.txt", query: query, headers: h)
    }

    func signature(of r: SigningRequest) -> String? {
        r.header("Authorization")?.components(separatedBy: "Signature=").last
    }

    func testHeaderVector() {
        var r = request()
        let sts = SignerV4.sign(&r, credentials: creds, region: "cn-hangzhou", date: Date(timeIntervalSince1970: 1702743657))
        XCTAssertEqual(SignerV4.canonicalRequest(r), """
            PUT
            /bucket/1234%2B-/123/1.txt
            %2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2
            content-type:text/plain
            x-oss-content-sha256:UNSIGNED-PAYLOAD
            x-oss-date:20231216T162057Z
            x-oss-head1:value


            UNSIGNED-PAYLOAD
            """)
        XCTAssertEqual(sts, "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\n"
                       + "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4")
        XCTAssertEqual(r.header("Authorization"), "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,"
                       + "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe")
    }

    func testHeaderVectorWithToken() {
        var r = request()
        SignerV4.sign(&r, credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk", securityToken: "token"),
                      region: "cn-hangzhou", date: Date(timeIntervalSince1970: 1702784856))
        XCTAssertEqual(r.header("x-oss-security-token"), "token")
        XCTAssertEqual(signature(of: r), "b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea")
    }

    func testHeaderVectorWithAdditionalHeaders() {
        var r = request()
        SignerV4.sign(&r, credentials: creds, region: "cn-hangzhou", date: Date(timeIntervalSince1970: 1702747512),
                      additionalHeaders: ["ZAbc", "abc"])
        XCTAssertEqual(r.header("Authorization"), "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,"
                       + "AdditionalHeaders=abc;zabc,"
                       + "Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f")
    }

    func testHeaderVectorCloudBox() {
        var r = request()
        SignerV4.sign(&r, credentials: creds, region: "cb-123", product: "oss-cloudbox",
                      date: Date(timeIntervalSince1970: 1702743657))
        XCTAssertEqual(signature(of: r), "94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43")
    }

    func testPresignedVector() {
        let r = request(sha256: false, contentType: "application/octet-stream")
        let items = SignerV4.presign(r, credentials: creds, region: "cn-hangzhou",
                                     date: Date(timeIntervalSince1970: 1702781677), expiresIn: 599)
        XCTAssertEqual(items.first { $0.name == "x-oss-date" }?.value, "20231217T025437Z")
        XCTAssertEqual(items.first { $0.name == "x-oss-signature" }?.value,
                       "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe")
        var signed = r
        signed.query += items
        XCTAssertEqual(SignerV4.canonicalQueryString(signed, excluding: ["x-oss-signature"]),
                       "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-credential="
                       + "ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599"
                       + "&x-oss-signature-version=OSS4-HMAC-SHA256")
    }

    func testPresignedVectorWithToken() {
        let r = request(sha256: false, contentType: "application/octet-stream")
        let items = SignerV4.presign(r, credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk", securityToken: "token"),
                                     region: "cn-hangzhou", date: Date(timeIntervalSince1970: 1702785388), expiresIn: 599)
        XCTAssertEqual(items.first { $0.name == "x-oss-date" }?.value, "20231217T035628Z")
        XCTAssertEqual(items.first { $0.name == "x-oss-signature" }?.value,
                       "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5")
    }

    func testServerSideCheckOfHeaderAndPresigned() throws {
        var r = request()
        SignerV4.sign(&r, credentials: creds, region: "cn-hangzhou", date: Date(timeIntervalSince1970: 1702747512),
                      additionalHeaders: ["abc", "ZAbc"])
        let auth = try RequestAuthorization.parse(authorization: r.header("Authorization"), query: r.query)
        let check = try XCTUnwrap(SignatureCheck.compute(r, authorization: auth, secret: "sk"))
        XCTAssertTrue(check.matches)
        XCTAssertNotNil(check.canonicalRequest)

        var p = request(sha256: false, contentType: "application/octet-stream")
        p.query += SignerV4.presign(p, credentials: creds, region: "cn-hangzhou",
                                    date: Date(timeIntervalSince1970: 1702781677), expiresIn: 599)
        let pauth = try RequestAuthorization.parse(authorization: nil, query: p.query)
        guard case .v4Query(let cred, "20231217T025437Z", 599, [], _) = pauth else { return XCTFail("\(pauth)") }
        XCTAssertEqual(cred.region, "cn-hangzhou")
        XCTAssertTrue(try XCTUnwrap(SignatureCheck.compute(p, authorization: pauth, secret: "sk")).matches)
        p.method = "DELETE"
        XCTAssertFalse(try XCTUnwrap(SignatureCheck.compute(p, authorization: pauth, secret: "sk")).matches)
    }

    func testAuthorizationHeaderFieldsInAnyOrderWithSpaces() throws {
        let v = "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=abcd, AdditionalHeaders=host;Abc"
        let auth = try RequestAuthorization.parseHeader(v)
        XCTAssertEqual(auth, .v4Header(credential: V4Credential(accessKeyId: "ak", date: "20231216", region: "cn-hangzhou"),
                                       additionalHeaders: ["host", "abc"], signature: "abcd"))
        XCTAssertThrowsError(try RequestAuthorization.parseHeader("OSS4-HMAC-SHA256 Signature=abcd"))
        XCTAssertThrowsError(try RequestAuthorization.parseHeader("Bearer x"))
        XCTAssertThrowsError(try RequestAuthorization.parse(authorization: "OSS a:b", query: [("Signature", "x")]))
        XCTAssertEqual(try RequestAuthorization.parse(authorization: nil, query: []), .anonymous)
    }
}
