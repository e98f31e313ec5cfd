import Foundation

/// Where an Archive, Cold Archive or Deep Cold Archive object stands: frozen (its data cannot be
/// read: GetObject answers 403 `InvalidObjectState`), being restored, or restored until a date.
/// HeadObject carries it in `x-oss-restore` (absent when frozen):
/// `ongoing-request="true"` or `ongoing-request="false", expiry-date="<RFC 1123 date>"`.
public enum RestoreStatus: Sendable, Equatable {
    case frozen
    case ongoing
    case restored(until: Date)

    /// The storage classes whose data must be restored before it can be read.
    public static let archiveClasses: Set<String> = ["Archive", "ColdArchive", "DeepColdArchive"]

    /// True when objects of `storageClass` need a restore before GetObject (case-insensitive).
    public static func needsRestore(_ storageClass: String?) -> Bool {
        guard let storageClass else { return false }
        return archiveClasses.contains { $0.caseInsensitiveCompare(storageClass) == .orderedSame }
    }

    /// The `x-oss-restore` header value; nil when frozen (the header is then absent).
    public var headerValue: String? {
        switch self {
        case .frozen: return nil
        case .ongoing: return "ongoing-request=\"true\""
        case .restored(let until): return "ongoing-request=\"false\", expiry-date=\"\(HTTPDate.rfc1123(until))\""
        }
    }

    /// Reads an `x-oss-restore` header value (nil or empty: frozen). A value with
    /// `ongoing-request="false"` and no readable expiry date counts as restored until the distant future.
    public init(header: String?) {
        guard let header, !header.isEmpty else { self = .frozen; return }
        if header.contains("ongoing-request=\"true\"") { self = .ongoing; return }
        var until = Date.distantFuture
        if let range = header.range(of: "expiry-date=\"") {
            let rest = header[range.upperBound...]
            if let end = rest.firstIndex(of: "\""), let date = HTTPDate.parseRFC1123(String(rest[..<end])) { until = date }
        }
        self = .restored(until: until)
    }
}
