import Foundation
import OSSProtocol
import XCTest

/// V1 vectors of oss-protocol.md 3.3.
final class SignerV1Tests: XCTestCase {
    let creds = Credentials(accessKeyId: "ak", accessKeySecret: "sk")
    let date = "Wed, 28 Dec 2022 10:27:41 GMT"

    func vectorA(query: [(name: String, value: String)] = []) -> SigningRequest {
        SigningRequest(method: "PUT", bucket: "examplebucket", key: "nelson", query: query, headers: [
            ("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw=="), ("Content-Type", "text/html"),
            ("x-oss-meta-author", "alice"), ("x-oss-meta-magic", "abracadabra"), ("x-oss-date", date), ("Date", date),
        ])
    }

    func testVectorAStringToSignAndAuthorization() {
        var r = vectorA()
        let sts = SignerV1.sign(&r, credentials: creds)
        XCTAssertEqual(sts, "PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n\(date)\nx-oss-date:\(date)\n"
                       + "x-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson")
        XCTAssertEqual(r.header("Authorization"), "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=")
    }

    func testVectorAWithACLSubResource() {
        var r = vectorA(query: [("acl", "")])
        SignerV1.sign(&r, credentials: creds)
        XCTAssertEqual(r.header("Authorization"), "OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=")
    }

    func testNonSubResourceIsDroppedFromResource() {
        var r = SigningRequest(method: "GET", bucket: "examplebucket", key: nil,
                               query: [("resourceGroup", ""), ("non-resousce", "null")], headers: [("x-oss-date", date)])
        XCTAssertEqual(SignerV1.canonicalizedResource(r), "/examplebucket/?resourceGroup")
        SignerV1.sign(&r, credentials: creds)
        XCTAssertEqual(r.header("Authorization"), "OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=")
    }

    func testSubResourcesAreSorted() {
        var r = SigningRequest(method: "GET", bucket: "examplebucket", key: nil,
                               query: [("resourceGroup", ""), ("acl", "")], headers: [("x-oss-date", date)])
        XCTAssertEqual(SignerV1.canonicalizedResource(r), "/examplebucket/?acl&resourceGroup")
        SignerV1.sign(&r, credentials: creds)
        XCTAssertEqual(r.header("Authorization"), "OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=")
    }

    func testVectorAWithSecurityToken() {
        var r = vectorA()
        let sts = SignerV1.sign(&r, credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk", securityToken: "token"))
        XCTAssertTrue(sts.contains("x-oss-meta-magic:abracadabra\nx-oss-security-token:token\n/examplebucket/nelson"))
        XCTAssertEqual(r.header("x-oss-security-token"), "token")
        XCTAssertEqual(r.header("Authorization"), "OSS ak:H3PAlN3Vucn74tPVEqaQC4AnLwQ=")
    }

    func testDocExampleB() {
        let sts = "PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\n"
            + "x-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson"
        let r = SigningRequest(method: "PUT", bucket: "oss-example", key: "nelson", headers: [
            ("Content-MD5", "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM="), ("Content-Type", "text/html"),
            ("Date", "Thu, 17 Nov 2005 18:49:58 GMT"), ("X-OSS-Magic", "abracadabra"), ("X-OSS-Meta-Author", "foo@bar.com"),
        ])
        XCTAssertEqual(SignerV1.stringToSign(r), sts)
        XCTAssertEqual(SignerV1.signature(stringToSign: sts, secret: "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"),
                       "26NBxoKdsyly4EDv6inkoDft/yA=")
    }

    func testPresignedC() {
        let r = SigningRequest(method: "GET", bucket: "bucket", key: "key", query: [("versionId", "versionId")])
        let items = SignerV1.presign(r, credentials: creds, expires: Date(timeIntervalSince1970: 1699807420))
        XCTAssertEqual(SignerV1.stringToSign(r, dateLine: "1699807420"), "GET\n\n\n1699807420\n/bucket/key?versionId=versionId")
        XCTAssertEqual(items.first { $0.name == "Signature" }?.value, "dcLTea+Yh9ApirQ8o8dOPqtvJXQ=")
        XCTAssertEqual(PercentEncoding.encodeQuery(items.first { $0.name == "Signature" }!.value),
                       "dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D")
        XCTAssertEqual(items.first { $0.name == "Expires" }?.value, "1699807420")
        XCTAssertEqual(items.first { $0.name == "OSSAccessKeyId" }?.value, "ak")
    }

    func testPresignedCWithToken() {
        let r = SigningRequest(method: "GET", bucket: "bucket", key: "key+123", query: [("versionId", "versionId")])
        let items = SignerV1.presign(r, credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk", securityToken: "token"),
                                     expires: Date(timeIntervalSince1970: 1699808204))
        XCTAssertEqual(items.first { $0.name == "Signature" }?.value, "jzKYRrM5y6Br0dRFPaTGOsbrDhY=")
        XCTAssertEqual(items.first { $0.name == "security-token" }?.value, "token")
    }

    func testServerSideCheckOfPresignedV1() throws {
        var r = SigningRequest(method: "GET", bucket: "bucket", key: "key+123", query: [("versionId", "versionId")])
        r.query += SignerV1.presign(r, credentials: Credentials(accessKeyId: "ak", accessKeySecret: "sk", securityToken: "token"),
                                    expires: Date(timeIntervalSince1970: 1699808204))
        let auth = try RequestAuthorization.parse(authorization: nil, query: r.query)
        XCTAssertEqual(auth, .v1Query(accessKeyId: "ak", expires: 1699808204, signature: "jzKYRrM5y6Br0dRFPaTGOsbrDhY="))
        let check = try XCTUnwrap(SignatureCheck.compute(r, authorization: auth, secret: "sk"))
        XCTAssertTrue(check.matches)
        XCTAssertEqual(check.stringToSign, "GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId")
        XCTAssertFalse(try XCTUnwrap(SignatureCheck.compute(r, authorization: auth, secret: "wrong")).matches)
    }

    func testServerSideCheckOfHeaderV1() throws {
        var r = vectorA()
        SignerV1.sign(&r, credentials: creds)
        let auth = try RequestAuthorization.parse(authorization: r.header("Authorization"), query: r.query)
        XCTAssertEqual(auth, .v1Header(accessKeyId: "ak", signature: "kSHKmLxlyEAKtZPkJhG9bZb5k7M="))
        XCTAssertTrue(try XCTUnwrap(SignatureCheck.compute(r, authorization: auth, secret: "sk")).matches)
        r.setHeader("x-oss-meta-author", "mallory")
        XCTAssertFalse(try XCTUnwrap(SignatureCheck.compute(r, authorization: auth, secret: "sk")).matches)
    }
}
