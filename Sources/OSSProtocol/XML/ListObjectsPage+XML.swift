import Foundation

extension ListObjectsPage {
    /// The ListObjectsV2 `<ListBucketResult>` document; `encodingType: "url"` percent-encodes names.
    public func xmlDocument(encodingType: String? = nil) -> Data {
        let enc = ListingEncoding.encoder(encodingType)
        var w = XMLWriter()
        w.element("ListBucketResult") { w in
            w.element("Name", bucket)
            w.element("Prefix", enc(prefix))
            w.element("StartAfter", ifPresent: startAfter.map(enc))
            w.element("ContinuationToken", ifPresent: continuationToken.map(enc))
            w.element("MaxKeys", String(maxKeys))
            w.element("Delimiter", ifPresent: delimiter.map(enc))
            w.element("EncodingType", ifPresent: encodingType)
            w.element("IsTruncated", isTruncated ? "true" : "false")
            w.element("NextContinuationToken", ifPresent: nextContinuationToken.map(enc))
            w.element("KeyCount", String(contents.count + commonPrefixes.count))
            ListingEncoding.writeEntries(&w, contents: contents, commonPrefixes: commonPrefixes, encode: enc)
        }
        return w.data
    }

    /// Decodes a ListObjectsV2 answer, undoing `encoding-type=url` when the answer says so.
    public static func decode(_ data: Data) throws -> ListObjectsPage {
        let (root, dec) = try ListingEncoding.listBucketResult(data)
        func opt(_ name: String) throws -> String? { try root.string(name).map(dec) }
        let (contents, commonPrefixes) = try ListingEncoding.entries(root, decode: dec)
        return ListObjectsPage(
            bucket: root.string("Name") ?? "", prefix: try opt("Prefix") ?? "", delimiter: try opt("Delimiter").flatMap { $0.isEmpty ? nil : $0 },
            startAfter: try opt("StartAfter"), continuationToken: try opt("ContinuationToken"),
            maxKeys: root.int("MaxKeys") ?? 0, isTruncated: root.bool("IsTruncated") ?? false,
            nextContinuationToken: try opt("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 },
            contents: contents, commonPrefixes: commonPrefixes)
    }
}
