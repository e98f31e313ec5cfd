import Foundation
import OSSProtocol
import XCTest
import TestSupport

/// Seeded fuzzing of the XML decoders: random bytes and mutated valid documents never crash a
/// decoder (throwing or returning nil is fine), and every document the encoder writes decodes
/// back to the value it came from. Iteration-bounded; see `FuzzInput`.
final class FuzzTests: XCTestCase {
    // MARK: ListObjectsV2

    func testListObjectsV2DecoderSurvivesHostileDocuments() {
        FuzzInput.run(#function) { rng, _ in
            let doc = randomPage(&rng, urlSafe: true).xmlDocument(encodingType: rng.chance(0.5) ? "url" : nil)
            _ = try? ListObjectsPage.decode(rng.hostile(from: doc))
            _ = try? ListObjectsV1Page.decode(rng.hostile(from: doc))
        }
    }

    func testListObjectsV2RoundTripsAnyKeyWithURLEncoding() throws {
        try FuzzInput.run(#function) { rng, context in
            let page = randomPage(&rng, urlSafe: true)
            XCTAssertEqual(try ListObjectsPage.decode(page.xmlDocument(encodingType: "url")), page, context)
            let plain = randomPage(&rng, urlSafe: false)
            XCTAssertEqual(try ListObjectsPage.decode(plain.xmlDocument()), plain, context)
        }
    }

    // MARK: Errors and x-oss-err

    func testErrorDecodersSurviveHostileInput() {
        FuzzInput.run(#function) { rng, _ in
            let doc = randomError(&rng).xmlDocument()
            let body = rng.hostile(from: doc)
            let status = rng.int(100...599)
            _ = OSSError.decode(httpStatus: status, body: body)
            _ = OSSError.decode(httpStatus: status, errHeader: body.base64EncodedString())
            _ = OSSError.decode(httpStatus: status, errHeader: String(decoding: body, as: UTF8.self))
            _ = OSSError.decode(httpStatus: status, errHeader: rng.anyString())
            let header = rng.anyString()
            _ = OSSError.fromResponse(httpStatus: status, body: rng.chance(0.5) ? body : Data()) { name in
                name == "x-oss-err" ? (rng.chance(0.5) ? body.base64EncodedString() : header) : header
            }
        }
    }

    func testErrorDocumentAndHeaderRoundTrip() throws {
        FuzzInput.run(#function) { rng, context in
            let error = randomError(&rng)
            XCTAssertEqual(OSSError.decode(httpStatus: error.httpStatus, body: error.xmlDocument()), error, context)
            XCTAssertEqual(OSSError.decode(httpStatus: error.httpStatus, errHeader: error.headerValue()), error, context)
            let fromHead = OSSError.fromResponse(httpStatus: error.httpStatus, body: Data()) {
                $0.lowercased() == "x-oss-err" ? error.headerValue() : nil
            }
            XCTAssertEqual(fromHead.code, error.code, context)
        }
    }

    // MARK: Multipart documents

    func testMultipartDecodersSurviveHostileDocuments() {
        FuzzInput.run(#function) { rng, _ in
            let parts = (0..<rng.int(0...5)).map { _ in UploadedPart(number: rng.int(1...10000), etag: "\"\(rng.token(32...32))\"") }
            let docs = [CompleteMultipartUpload(parts: parts).xmlDocument(),
                        InitiateMultipartUploadResult(bucket: rng.token(3...10), key: rng.anyString(),
                                                      uploadId: rng.token(1...32)).xmlDocument(encodingType: "url"),
                        CompleteMultipartUploadResult(location: rng.xmlSafeString(), bucket: rng.token(3...10),
                                                      key: rng.anyString(), etag: rng.token(1...40)).xmlDocument(encodingType: "url"),
                        randomListParts(&rng).xmlDocument(encodingType: "url")]
            let doc = rng.hostile(from: rng.pick(docs))
            _ = try? CompleteMultipartUpload.decode(doc)
            _ = try? InitiateMultipartUploadResult.decode(doc)
            _ = try? CompleteMultipartUploadResult.decode(doc)
            _ = try? ListPartsResult.decode(doc)
        }
    }

    func testMultipartDocumentsRoundTrip() throws {
        try FuzzInput.run(#function) { rng, context in
            let parts = (0..<rng.int(0...20)).map { _ in
                UploadedPart(number: rng.int(1...10000), etag: rng.chance(0.5) ? "\"\(rng.token(32...32))-\(rng.int(1...99))\"" : rng.token(1...40))
            }
            let complete = CompleteMultipartUpload(parts: parts)
            XCTAssertEqual(try CompleteMultipartUpload.decode(complete.xmlDocument()), complete, context)
            let initiate = InitiateMultipartUploadResult(bucket: rng.token(3...20), key: rng.anyString(), uploadId: rng.token(1...64))
            XCTAssertEqual(try InitiateMultipartUploadResult.decode(initiate.xmlDocument(encodingType: "url")), initiate, context)
            let done = CompleteMultipartUploadResult(location: rng.xmlSafeString(), bucket: rng.token(3...20),
                                                     key: rng.anyString(), etag: rng.token(1...40))
            XCTAssertEqual(try CompleteMultipartUploadResult.decode(done.xmlDocument(encodingType: "url")), done, context)
            let list = randomListParts(&rng)
            XCTAssertEqual(try ListPartsResult.decode(list.xmlDocument(encodingType: "url")), list, context)
        }
    }

    // MARK: DeleteMultipleObjects

    func testDeleteMultipleDecodersSurviveHostileDocuments() {
        FuzzInput.run(#function) { rng, _ in
            let keys = (0..<rng.int(0...6)).map { _ in rng.xmlSafeString() }
            let doc = rng.chance(0.5) ? DeleteMultipleObjects(keys: keys, quiet: rng.chance(0.5)).xmlDocument()
                : DeleteMultipleObjectsResult(deleted: keys).xmlDocument(encodingType: "url")
            let hostile = rng.hostile(from: doc)
            _ = try? DeleteMultipleObjects.decode(hostile)
            _ = try? DeleteMultipleObjectsResult.decode(hostile)
        }
    }

    func testDeleteMultipleRoundTrip() throws {
        try FuzzInput.run(#function) { rng, context in
            let request = DeleteMultipleObjects(keys: (0..<rng.int(0...30)).map { _ in rng.xmlSafeString() }, quiet: rng.chance(0.5))
            XCTAssertEqual(try DeleteMultipleObjects.decode(request.xmlDocument()), request, context)
            let result = DeleteMultipleObjectsResult(deleted: (0..<rng.int(0...30)).map { _ in rng.anyString() })
            XCTAssertEqual(try DeleteMultipleObjectsResult.decode(result.xmlDocument(encodingType: "url")), result, context)
        }
    }

    // MARK: Generators

    private func randomPage(_ rng: inout FuzzInput, urlSafe: Bool) -> ListObjectsPage {
        func name() -> String { urlSafe ? rng.anyString() : rng.xmlSafeString() }
        func optional() -> String? { rng.chance(0.5) ? nil : name() }
        func nonEmpty() -> String? { rng.chance(0.5) ? nil : name() + "x" }
        let contents = (0..<rng.int(0...8)).map { _ in
            ObjectSummary(key: name(), lastModified: rng.date(), etag: "\"\(rng.token(32...32))\"",
                          size: Int64(rng.int(0...Int(Int64.max >> 8))), type: rng.pick(ObjectType.allCases),
                          storageClass: rng.pick(["Standard", "IA", "Archive", "ColdArchive"]))
        }
        return ListObjectsPage(bucket: rng.token(3...20), prefix: name(), delimiter: nonEmpty(), startAfter: optional(),
                               continuationToken: optional(), maxKeys: rng.int(1...1000), isTruncated: rng.chance(0.5),
                               nextContinuationToken: nonEmpty(), contents: contents,
                               commonPrefixes: (0..<rng.int(0...5)).map { _ in name() })
    }

    private func randomError(_ rng: inout FuzzInput) -> OSSError {
        var extras: [String: String] = [:]
        for _ in 0..<rng.int(0...3) { extras["X" + rng.token(1...10)] = rng.xmlSafeString() }
        return OSSError(httpStatus: rng.int(300...599), code: rng.token(1...30), message: rng.xmlSafeString(),
                        requestId: rng.chance(0.8) ? rng.token(24...24) : "", hostId: rng.xmlSafeString(),
                        ec: rng.chance(0.7) ? "\(rng.int(0...9999))-\(rng.int(0...99_999_999))" : nil, extras: extras)
    }

    private func randomListParts(_ rng: inout FuzzInput) -> ListPartsResult {
        let parts = (0..<rng.int(0...6)).map { _ in
            ListPartsResult.Part(number: rng.int(1...10000), lastModified: rng.date(), etag: "\"\(rng.token(32...32))\"",
                                 size: Int64(rng.int(0...(5 << 30))), crc64: rng.chance(0.5) ? rng.next() : nil)
        }
        return ListPartsResult(bucket: rng.token(3...20), key: rng.anyString(), uploadId: rng.token(1...40),
                               partNumberMarker: rng.int(0...10000), nextPartNumberMarker: rng.chance(0.5) ? rng.int(1...10000) : nil,
                               maxParts: rng.int(1...1000), isTruncated: rng.chance(0.5), parts: parts)
    }
}
