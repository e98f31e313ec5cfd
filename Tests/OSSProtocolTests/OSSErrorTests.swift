import Foundation
import OSSProtocol
import XCTest

/// Error code table, `<Error>` documents and the HEAD `x-oss-err` header.
final class OSSErrorTests: XCTestCase {
    func testCodeTable() {
        XCTAssertEqual(OSSErrorCode.noSuchKey.httpStatus, 404)
        XCTAssertEqual(OSSErrorCode.symlinkTargetNotExist.ec, "0026-00000012")
        XCTAssertEqual(OSSErrorCode.invalidTargetType.httpStatus, 400)
        XCTAssertEqual(OSSErrorCode.invalidRange.httpStatus, 416)
        XCTAssertEqual(OSSErrorCode.fileAlreadyExists.httpStatus, 409)
        XCTAssertEqual(OSSErrorCode.named("PositionNotEqualToLength")?.httpStatus, 409)
        XCTAssertNil(OSSErrorCode.named("NoSuchThing"))
        let e = OSSError(.noSuchKey, requestId: "RID", extras: ["Key": "k"])
        XCTAssertEqual(e.httpStatus, 404)
        XCTAssertEqual(e.message, "The specified key does not exist.")
        XCTAssertTrue(e.is(.noSuchKey))
    }

    func testDecodesDocumentExample() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error>
              <Code>NoSuchKey</Code>
              <Message>The specified key does not exist.</Message>
              <RequestId>6556E3AED11E553933CCDEDF</RequestId>
              <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>
              <Key>example</Key>
              <EC>0026-00000001</EC>
              <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0026-00000001</RecommendDoc>
            </Error>
            """
        let e = try XCTUnwrap(OSSError.decode(httpStatus: 404, body: Data(xml.utf8)))
        XCTAssertEqual(e.code, "NoSuchKey")
        XCTAssertEqual(e.requestId, "6556E3AED11E553933CCDEDF")
        XCTAssertEqual(e.hostId, "bucket.oss-cn-hangzhou.aliyuncs.com")
        XCTAssertEqual(e.ec, "0026-00000001")
        XCTAssertEqual(e.extras["Key"], "example")
        XCTAssertEqual(e.extras["RecommendDoc"], "https://api.aliyun.com/troubleshoot?q=0026-00000001")
        XCTAssertNil(OSSError.decode(httpStatus: 500, body: Data("<html>oops</html>".utf8)))
    }

    func testRoundTripWithEscapedExtras() throws {
        let e = OSSError(.signatureDoesNotMatch, requestId: "R1", hostId: "h",
                         extras: ["StringToSign": "PUT\n\n\n<date>&\n/b/k", "OSSAccessKeyId": "ak"])
        let back = try XCTUnwrap(OSSError.decode(httpStatus: 403, body: e.xmlDocument()))
        XCTAssertEqual(back, e)
    }

    func testHeadErrorHeaderDecodes() throws {
        let e = OSSError(.invalidTargetType, requestId: "R2")
        let header = e.headerValue()
        let back = try XCTUnwrap(OSSError.decode(httpStatus: 400, errHeader: header))
        XCTAssertEqual(back.code, "InvalidTargetType")
        XCTAssertEqual(back.ec, "0026-00000011")
        let viaResponse = OSSError.fromResponse(httpStatus: 404, body: Data()) { name in
            ["x-oss-err": OSSError(.symlinkTargetNotExist).headerValue(), "x-oss-request-id": "RID9"][name]
        }
        XCTAssertEqual(viaResponse.code, "SymlinkTargetNotExist")
        XCTAssertEqual(viaResponse.requestId, "RID9")
    }

    func testBodilessAnswerFallsBackToStatus() {
        let e = OSSError.fromResponse(httpStatus: 404, body: Data()) { $0 == "x-oss-request-id" ? "R" : nil }
        XCTAssertEqual(e.code, "")
        XCTAssertTrue(e.message.contains("NotFound"), e.message)
        XCTAssertEqual(e.httpStatus, 404)
        XCTAssertEqual(e.requestId, "R")
    }
}
