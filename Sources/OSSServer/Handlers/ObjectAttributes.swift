import OSSProtocol

/// What a write request says about the object besides its bytes: standard headers, user metadata,
/// ACL and storage class (oss-protocol.md 1.2, 2.2, 2.4), validated.
struct ObjectAttributes: Sendable {
    var standardHeaders: [String: String] = [:]
    var userMetadata: [String: String] = [:]
    var acl: ObjectACL = .default
    var storageClass = "Standard"

    /// Standard headers stored with an object and replayed on GET/HEAD, in canonical spelling.
    static let standardHeaderNames = ["Content-Type"] + ContentHeaders.names
    static let storageClasses = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"]
    /// Limit on the total size of user metadata names and values.
    static let maxMetadataBytes = 8 * 1024

    /// Reads and validates the attributes from the request headers.
    static func parse(_ request: RequestContext) throws -> ObjectAttributes {
        var attributes = ObjectAttributes()
        for name in standardHeaderNames {
            if let value = request.header(name) { attributes.standardHeaders[name] = value }
        }
        if let acl = request.header("x-oss-object-acl") { attributes.acl = try parseACL(acl) }
        if let storage = request.header("x-oss-storage-class") {
            guard let match = storageClasses.first(where: { $0.lowercased() == storage.lowercased() }) else {
                throw ServerError.invalidArgument("Invalid storage class \(storage).", name: "x-oss-storage-class", value: storage)
            }
            attributes.storageClass = match
        }
        attributes.userMetadata = try userMetadata(request)
        return attributes
    }

    /// The `x-oss-meta-*` headers, names lower-cased without the prefix; checks names and total size.
    static func userMetadata(_ request: RequestContext) throws -> [String: String] {
        var metadata: [String: String] = [:]
        var total = 0
        for header in request.head.headers {
            let lower = header.name.lowercased()
            guard lower.hasPrefix("x-oss-meta-") else { continue }
            let name = String(lower.dropFirst("x-oss-meta-".count))
            guard !name.isEmpty, name.utf8.allSatisfy({ isMetadataNameByte($0) }) else {
                throw ServerError.invalidMetadataName(header.name)
            }
            total += name.utf8.count + header.value.utf8.count
            metadata[name] = metadata[name].map { $0 + "," + header.value } ?? header.value
        }
        guard total <= maxMetadataBytes else { throw ServerError.metadataTooLarge }
        return metadata
    }

    static func parseACL(_ text: String) throws -> ObjectACL {
        guard let acl = ObjectACL(rawValue: text.lowercased()) else {
            throw ServerError.invalidArgument("no such object access control exists", name: "x-oss-object-acl", value: text)
        }
        return acl
    }

    private static func isMetadataNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
    }

    /// True when `x-oss-forbid-overwrite: true`.
    static func forbidsOverwrite(_ request: RequestContext) -> Bool {
        request.header("x-oss-forbid-overwrite")?.lowercased() == "true"
    }
}
