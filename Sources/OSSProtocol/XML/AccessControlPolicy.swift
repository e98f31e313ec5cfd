import Foundation

/// `<AccessControlPolicy>`: an object's (or bucket's) owner and ACL grant.
public struct AccessControlPolicy: Sendable, Equatable {
    public var ownerId: String
    public var ownerDisplayName: String
    public var grant: ObjectACL

    /// Creates a policy.
    public init(ownerId: String, ownerDisplayName: String, grant: ObjectACL) {
        self.ownerId = ownerId; self.ownerDisplayName = ownerDisplayName; self.grant = grant
    }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("AccessControlPolicy") { w in
            w.element("Owner") { w in
                w.element("ID", ownerId)
                w.element("DisplayName", ownerDisplayName)
            }
            w.element("AccessControlList") { $0.element("Grant", grant.rawValue) }
        }
        return w.data
    }

    /// Decodes the document; throws for an unknown grant.
    public static func decode(_ data: Data) throws -> AccessControlPolicy {
        let root = try XMLNode.parse(data)
        guard root.name == "AccessControlPolicy" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        let text = root.child("AccessControlList")?.string("Grant") ?? ""
        guard let grant = ObjectACL(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw XMLDocumentError.unexpected("unknown grant \(text)")
        }
        let owner = root.child("Owner")
        return AccessControlPolicy(ownerId: owner?.string("ID") ?? "", ownerDisplayName: owner?.string("DisplayName") ?? "",
                                   grant: grant)
    }
}
