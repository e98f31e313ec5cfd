import Foundation

/// `<LocationConstraint>oss-cn-hangzhou</LocationConstraint>` (GetBucketLocation).
public struct LocationConstraint: Sendable, Equatable {
    /// The location with the `oss-` prefix, e.g. `oss-cn-hangzhou`.
    public var location: String

    /// Creates a location.
    public init(location: String) { self.location = location }

    /// The bare region id for V4 scopes (`cn-hangzhou`).
    public var region: String { location.hasPrefix("oss-") ? String(location.dropFirst(4)) : location }

    /// The document.
    public func xmlDocument() -> Data {
        var w = XMLWriter()
        w.element("LocationConstraint", location)
        return w.data
    }

    /// Decodes the document.
    public static func decode(_ data: Data) throws -> LocationConstraint {
        let root = try XMLNode.parse(data)
        guard root.name == "LocationConstraint" else { throw XMLDocumentError.unexpected("root \(root.name)") }
        return LocationConstraint(location: root.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
