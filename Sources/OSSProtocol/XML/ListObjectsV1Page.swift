import Foundation

/// One page of ListObjects (V1, marker-based), with names decoded.
public struct ListObjectsV1Page: Sendable, Equatable {
    public var bucket: String
    public var prefix: String
    public var marker: String
    public var delimiter: String?
    public var maxKeys: Int
    public var isTruncated: Bool
    public var nextMarker: String?
    public var contents: [ObjectSummary]
    public var commonPrefixes: [String]

    /// Creates a page.
    public init(bucket: String, prefix: String = "", marker: String = "", delimiter: String? = nil, maxKeys: Int = 100,
                isTruncated: Bool = false, nextMarker: String? = nil, contents: [ObjectSummary] = [],
                commonPrefixes: [String] = []) {
        self.bucket = bucket; self.prefix = prefix; self.marker = marker; self.delimiter = delimiter
        self.maxKeys = maxKeys; self.isTruncated = isTruncated; self.nextMarker = nextMarker
        self.contents = contents; self.commonPrefixes = commonPrefixes
    }

    /// The `<ListBucketResult>` document; `encodingType: "url"` percent-encodes names.
    public func xmlDocument(encodingType: String? = nil) -> Data {
        let enc = ListingEncoding.encoder(encodingType)
        var w = XMLWriter()
        w.element("ListBucketResult") { w in
            w.element("Name", bucket)
            w.element("Prefix", enc(prefix))
            w.element("Marker", enc(marker))
            w.element("MaxKeys", String(maxKeys))
            w.element("Delimiter", ifPresent: delimiter.map(enc))
            w.element("EncodingType", ifPresent: encodingType)
            w.element("IsTruncated", isTruncated ? "true" : "false")
            w.element("NextMarker", ifPresent: nextMarker.map(enc))
            ListingEncoding.writeEntries(&w, contents: contents, commonPrefixes: commonPrefixes, encode: enc)
        }
        return w.data
    }

    /// Decodes a ListObjects (V1) answer.
    public static func decode(_ data: Data) throws -> ListObjectsV1Page {
        let (root, dec) = try ListingEncoding.listBucketResult(data)
        func opt(_ name: String) throws -> String? { try root.string(name).map(dec) }
        let (contents, commonPrefixes) = try ListingEncoding.entries(root, decode: dec)
        return ListObjectsV1Page(
            bucket: root.string("Name") ?? "", prefix: try opt("Prefix") ?? "", marker: try opt("Marker") ?? "",
            delimiter: try opt("Delimiter").flatMap { $0.isEmpty ? nil : $0 }, maxKeys: root.int("MaxKeys") ?? 0,
            isTruncated: root.bool("IsTruncated") ?? false, nextMarker: try opt("NextMarker").flatMap { $0.isEmpty ? nil : $0 },
            contents: contents, commonPrefixes: commonPrefixes)
    }
}
