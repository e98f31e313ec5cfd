import Foundation

/// The `<RestoreRequest>` body of RestoreObject: how many days the restored copy stays readable
/// and, for Cold Archive and Deep Cold Archive, the priority (`<JobParameters><Tier>`).
/// The body is optional for Archive objects (docs/archive-objects.md).
public struct RestoreRequest: Sendable, Equatable {
    /// Days the restored copy stays readable; nil: the service's default (1 day).
    public var days: Int?
    /// `Expedited`, `Standard` or `Bulk`; nil: `Standard`.
    public var tier: String?

    /// Creates a request body.
    public init(days: Int? = nil, tier: String? = nil) { self.days = days; self.tier = tier }

    /// The document, as oss2 and alibabacloud-oss-v2 write it.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("RestoreRequest") { w in
            if let days { w.element("Days", String(days)) }
            if let tier { w.element("JobParameters") { $0.element("Tier", tier) } }
        }
        return w.data
    }

    /// Decodes the document; `Days` and `JobParameters` are optional, a `Days` that is not an
    /// integer is an error.
    public static func decode(_ data: Data) throws -> RestoreRequest {
        let root = try XMLNode.parse(data)
        guard root.name == "RestoreRequest" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        var request = RestoreRequest()
        if root.child("Days") != nil {
            guard let days = root.int("Days") else { throw XMLDocumentError.unexpected("Days is not an integer") }
            request.days = days
        }
        request.tier = root.child("JobParameters")?.string("Tier")?.trimmingCharacters(in: .whitespaces)
        return request
    }
}
