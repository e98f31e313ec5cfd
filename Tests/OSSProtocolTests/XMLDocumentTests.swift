import Foundation
import OSSProtocol
import XCTest

/// Encode/decode round trips of every OSS XML document, and decoding of SDK-shaped samples.
final class XMLDocumentTests: XCTestCase {
    let t = Date(timeIntervalSince1970: 1589780747)

    func testListObjectsV2RoundTripWithURLEncoding() throws {
        let page = ListObjectsPage(bucket: "b", prefix: "a dir/", delimiter: "/", startAfter: "a dir/0",
                                   continuationToken: "tok en", maxKeys: 2, isTruncated: true, nextContinuationToken: "next/+",
                                   contents: [ObjectSummary(key: "a dir/x\u{0C}y+%", lastModified: t, etag: "\"E\"", size: 25),
                                              ObjectSummary(key: "a dir/l", lastModified: t, etag: "\"F\"", size: 3, type: .symlink)],
                                   commonPrefixes: ["a dir/sub & co/"])
        let xml = page.xmlDocument(encodingType: "url")
        let text = String(decoding: xml, as: UTF8.self)
        XCTAssertTrue(text.contains("<Key>a%20dir%2Fx%0Cy%2B%25</Key>"), text)
        XCTAssertTrue(text.contains("<KeyCount>3</KeyCount>"))
        XCTAssertEqual(try ListObjectsPage.decode(xml), page)
        // XML 1.0 cannot carry a form feed: only the url-encoded form round-trips such keys.
        XCTAssertThrowsError(try ListObjectsPage.decode(page.xmlDocument()))
        var plain = page
        plain.contents[0].key = "a dir/x<y>&'\"+%"
        XCTAssertEqual(try ListObjectsPage.decode(plain.xmlDocument()), plain)
    }

    func testListObjectsV2DecodesSample() throws {
        let xml = """
            <ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><Name>oss-example</Name><Prefix>a/</Prefix><MaxKeys>100</MaxKeys><Delimiter>/</Delimiter>
            <EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>
            <Contents><Key>a/b</Key><LastModified>2020-05-18T05:45:47.000Z</LastModified><ETag>"35A2"</ETag>
            <Type>Normal</Type><Size>25</Size><StorageClass>Standard</StorageClass></Contents>
            <CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes><KeyCount>2</KeyCount></ListBucketResult>
            """
        let p = try ListObjectsPage.decode(Data(xml.utf8))
        XCTAssertEqual(p.bucket, "oss-example")
        XCTAssertEqual(p.contents.map(\.key), ["a/b"])
        XCTAssertEqual(p.contents.first?.size, 25)
        XCTAssertEqual(p.contents.first?.lastModified, t)
        XCTAssertEqual(p.commonPrefixes, ["a/b/"])
        XCTAssertNil(p.nextContinuationToken)
        XCTAssertThrowsError(try ListObjectsPage.decode(Data("<Other/>".utf8)))
        XCTAssertThrowsError(try ListObjectsPage.decode(Data("<ListBucketResult>".utf8)))
    }

    func testListObjectsV1RoundTrip() throws {
        let page = ListObjectsV1Page(bucket: "b", prefix: "p/", marker: "p/a b", delimiter: "/", maxKeys: 1, isTruncated: true,
                                     nextMarker: "p/c d", contents: [ObjectSummary(key: "p/c d", lastModified: t, etag: "\"E\"", size: 1,
                                                                                   type: .appendable)])
        XCTAssertEqual(try ListObjectsV1Page.decode(page.xmlDocument(encodingType: "url")), page)
        XCTAssertEqual(try ListObjectsV1Page.decode(page.xmlDocument()), page)
    }

    func testMultipartDocuments() throws {
        let ini = InitiateMultipartUploadResult(bucket: "b", key: "k %", uploadId: "0004B9894A22E5B1888A1E29F823")
        XCTAssertEqual(try InitiateMultipartUploadResult.decode(ini.xmlDocument(encodingType: "url")), ini)
        let req = CompleteMultipartUpload(parts: [UploadedPart(number: 1, etag: "\"A\""), UploadedPart(number: 3, etag: "\"B\"")])
        XCTAssertEqual(try CompleteMultipartUpload.decode(req.xmlDocument()), req)
        XCTAssertThrowsError(try CompleteMultipartUpload.decode(Data("<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>".utf8)))
        let res = CompleteMultipartUploadResult(location: "http://b.e/k", bucket: "b", key: "k&1", etag: "\"1C787C506EABFB9B45EAAA8DB039F4B2-2\"")
        XCTAssertEqual(try CompleteMultipartUploadResult.decode(res.xmlDocument()), res)
        let parts = ListPartsResult(bucket: "b", key: "k", uploadId: "U", partNumberMarker: 0, nextPartNumberMarker: 2, maxParts: 2,
                                    isTruncated: true, parts: [.init(number: 1, lastModified: t, etag: "\"A\"", size: 102400, crc64: 42),
                                                               .init(number: 2, lastModified: t, etag: "\"B\"", size: 5)])
        XCTAssertEqual(try ListPartsResult.decode(parts.xmlDocument()), parts)
    }

    func testDeleteMultipleDocuments() throws {
        let req = DeleteMultipleObjects(keys: ["a", "b<c>", "d e"], quiet: true)
        XCTAssertEqual(try DeleteMultipleObjects.decode(req.xmlDocument()), req)
        XCTAssertEqual(try DeleteMultipleObjects.decode(Data("<Delete><Object><Key>x</Key></Object></Delete>".utf8)),
                       DeleteMultipleObjects(keys: ["x"], quiet: false))
        let res = DeleteMultipleObjectsResult(deleted: ["a", "b/c d"])
        XCTAssertEqual(try DeleteMultipleObjectsResult.decode(res.xmlDocument(encodingType: "url")), res)
        XCTAssertEqual(try DeleteMultipleObjectsResult.decode(Data()), DeleteMultipleObjectsResult(deleted: []))
    }

    func testACLBucketAndCopyDocuments() throws {
        let acl = AccessControlPolicy(ownerId: "1", ownerDisplayName: "me", grant: .publicRead)
        XCTAssertEqual(try AccessControlPolicy.decode(acl.xmlDocument()), acl)
        XCTAssertThrowsError(try AccessControlPolicy.decode(Data("<AccessControlPolicy><AccessControlList><Grant>bogus</Grant></AccessControlList></AccessControlPolicy>".utf8)))
        let info = BucketInfo(name: "b", location: "oss-cn-hangzhou", creationDate: t, extranetEndpoint: "oss-cn-hangzhou.aliyuncs.com",
                              intranetEndpoint: "oss-cn-hangzhou-internal.aliyuncs.com", acl: .private, ownerId: "1", versioning: "Enabled")
        XCTAssertEqual(try BucketInfo.decode(info.xmlDocument()), info)
        XCTAssertEqual(info.region, "cn-hangzhou")
        let loc = LocationConstraint(location: "oss-cn-hangzhou")
        XCTAssertEqual(try LocationConstraint.decode(loc.xmlDocument()), loc)
        XCTAssertEqual(loc.region, "cn-hangzhou")
        let all = ListAllMyBucketsResult(ownerId: "1", ownerDisplayName: "me",
                                         buckets: [.init(name: "b", creationDate: t, location: "oss-cn-hangzhou")])
        XCTAssertEqual(try ListAllMyBucketsResult.decode(all.xmlDocument()), all)
        let copy = CopyObjectResult(etag: "\"F2064A\"", lastModified: t)
        XCTAssertEqual(try CopyObjectResult.decode(copy.xmlDocument()), copy)
    }
}
