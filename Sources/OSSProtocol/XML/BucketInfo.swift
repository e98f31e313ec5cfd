import Foundation

/// `<BucketInfo><Bucket>…</Bucket></BucketInfo>` (GetBucketInfo), the fields a client uses.
public struct BucketInfo: Sendable, Equatable {
    public var name: String
    /// With the `oss-` prefix, e.g. `oss-cn-hangzhou`.
    public var location: String
    public var creationDate: Date
    public var extranetEndpoint: String
    public var intranetEndpoint: String
    public var storageClass: String
    public var acl: ObjectACL
    public var ownerId: String
    public var ownerDisplayName: String
    /// `Enabled`, `Suspended`, or nil when never enabled.
    public var versioning: String?

    /// Creates bucket information.
    public init(name: String, location: String, creationDate: Date, extranetEndpoint: String = "",
                intranetEndpoint: String = "", storageClass: String = "Standard", acl: ObjectACL = .private,
                ownerId: String = "", ownerDisplayName: String = "", versioning: String? = nil) {
        self.name = name; self.location = location; self.creationDate = creationDate
        self.extranetEndpoint = extranetEndpoint; self.intranetEndpoint = intranetEndpoint
        self.storageClass = storageClass; self.acl = acl; self.ownerId = ownerId
        self.ownerDisplayName = ownerDisplayName; self.versioning = versioning
    }

    /// The bare region id for V4 scopes (`cn-hangzhou`).
    public var region: String { location.hasPrefix("oss-") ? String(location.dropFirst(4)) : location }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("BucketInfo") { w in
            w.element("Bucket") { w in
                w.element("CreationDate", HTTPDate.iso8601(creationDate))
                w.element("ExtranetEndpoint", extranetEndpoint)
                w.element("IntranetEndpoint", intranetEndpoint)
                w.element("Location", location)
                w.element("StorageClass", storageClass)
                w.element("Name", name)
                w.element("Owner") { w in
                    w.element("DisplayName", ownerDisplayName)
                    w.element("ID", ownerId)
                }
                w.element("AccessControlList") { $0.element("Grant", acl.rawValue) }
                w.element("Versioning", ifPresent: versioning)
            }
        }
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> BucketInfo {
        let root = try XMLNode.parse(data)
        guard root.name == "BucketInfo", let b = root.child("Bucket") else {
            throw XMLDocumentError.unexpected("not a BucketInfo document")
        }
        let grant = b.child("AccessControlList")?.string("Grant").flatMap(ObjectACL.init(rawValue:)) ?? .private
        return BucketInfo(name: b.string("Name") ?? "", location: b.string("Location") ?? "",
                          creationDate: b.date("CreationDate") ?? Date(timeIntervalSince1970: 0),
                          extranetEndpoint: b.string("ExtranetEndpoint") ?? "", intranetEndpoint: b.string("IntranetEndpoint") ?? "",
                          storageClass: b.string("StorageClass") ?? "Standard", acl: grant,
                          ownerId: b.child("Owner")?.string("ID") ?? "", ownerDisplayName: b.child("Owner")?.string("DisplayName") ?? "",
                          versioning: b.string("Versioning").flatMap { $0.isEmpty ? nil : $0 })
    }
}
