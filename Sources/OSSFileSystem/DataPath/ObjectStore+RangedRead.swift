import Foundation
import OSSProtocol

extension ObjectStore {
    /// GetObject of `range`, checked: an answer longer than the range (a server that ignored the
    /// Range header and sent the whole object) is an error rather than bytes at the wrong offset.
    /// A shorter answer is the end of an object that shrank since it was opened.
    func getObject(_ key: String, exactly range: Range<Int64>) async throws -> Data {
        let data = try await getObject(key, range: range)
        guard data.count <= range.count else {
            throw TransportError(.other, "GetObject \(key) bytes \(range.lowerBound)-\(range.upperBound - 1): got \(data.count) bytes")
        }
        return data
    }
}
