import Foundation

/// The byte range a GET serves, per oss-protocol.md 2.5: without `x-oss-range-behavior: standard`
/// an unsatisfiable or malformed range is ignored (whole object, 200); with it, a start at or past
/// the end (or a malformed/multiple range, UNCONFIRMED there) is 416 InvalidRange and an end past
/// the end is clamped.
enum RangeSpec {
    /// nil = whole object (200); otherwise the inclusive range to answer with 206.
    static func resolve(_ header: String?, size: Int64, standard: Bool) throws -> ClosedRange<Int64>? {
        guard let header else { return nil }
        func invalid() throws -> ClosedRange<Int64>? {
            if standard { throw ServerError.invalidRange }
            return nil
        }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes=") else { return try invalid() }
        let spec = text.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return try invalid() }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let count = Int64(last), count > 0, size > 0 else { return try invalid() }
            return max(0, size - count)...(size - 1)
        }
        guard let start = Int64(first), start >= 0 else { return try invalid() }
        if last.isEmpty {
            guard start < size else { return try invalid() }
            return start...(size - 1)
        }
        guard let end = Int64(last), end >= start else { return try invalid() }
        guard start < size else { return try invalid() }
        if end >= size { return standard ? start...(size - 1) : nil }
        return start...end
    }
}
