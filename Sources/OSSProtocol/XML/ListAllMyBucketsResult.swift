import Foundation

/// `<ListAllMyBucketsResult>` (ListBuckets, `GET /` on the service endpoint).
public struct ListAllMyBucketsResult: Sendable, Equatable {
    /// One bucket of the listing.
    public struct Bucket: Sendable, Equatable {
        public var name: String
        public var creationDate: Date
        /// With the `oss-` prefix.
        public var location: String
        public var extranetEndpoint: String
        public var intranetEndpoint: String
        public var storageClass: String
        /// Creates a bucket entry.
        public init(name: String, creationDate: Date, location: String, extranetEndpoint: String = "",
                    intranetEndpoint: String = "", storageClass: String = "Standard") {
            self.name = name; self.creationDate = creationDate; self.location = location
            self.extranetEndpoint = extranetEndpoint; self.intranetEndpoint = intranetEndpoint; self.storageClass = storageClass
        }
    }

    public var ownerId: String
    public var ownerDisplayName: String
    public var buckets: [Bucket]

    /// Creates a result.
    public init(ownerId: String, ownerDisplayName: String, buckets: [Bucket]) {
        self.ownerId = ownerId; self.ownerDisplayName = ownerDisplayName; self.buckets = buckets
    }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("ListAllMyBucketsResult") { w in
            w.element("Owner") { w in
                w.element("ID", ownerId)
                w.element("DisplayName", ownerDisplayName)
            }
            w.element("Buckets") { w in
                for b in buckets {
                    w.element("Bucket") { w in
                        w.element("CreationDate", HTTPDate.iso8601(b.creationDate))
                        w.element("ExtranetEndpoint", b.extranetEndpoint)
                        w.element("IntranetEndpoint", b.intranetEndpoint)
                        w.element("Location", b.location)
                        w.element("Name", b.name)
                        w.element("StorageClass", b.storageClass)
                    }
                }
            }
        }
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> ListAllMyBucketsResult {
        let root = try XMLNode.parse(data)
        guard root.name == "ListAllMyBucketsResult" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        let buckets = (root.child("Buckets")?.children("Bucket") ?? []).map { b in
            Bucket(name: b.string("Name") ?? "", creationDate: b.date("CreationDate") ?? Date(timeIntervalSince1970: 0),
                   location: b.string("Location") ?? "", extranetEndpoint: b.string("ExtranetEndpoint") ?? "",
                   intranetEndpoint: b.string("IntranetEndpoint") ?? "", storageClass: b.string("StorageClass") ?? "Standard")
        }
        return ListAllMyBucketsResult(ownerId: root.child("Owner")?.string("ID") ?? "",
                                      ownerDisplayName: root.child("Owner")?.string("DisplayName") ?? "", buckets: buckets)
    }
}
