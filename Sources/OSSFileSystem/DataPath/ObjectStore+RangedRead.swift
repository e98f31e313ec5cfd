import Foundation
import OSSProtocol

extension ObjectStore {
    /// GetObject of `range`, checked: an answer longer than the range (a server that ignored the
    /// Range header and sent the whole object) is an error rather than bytes at the wrong offset.
    /// A shorter answer is the end of an object that shrank since it was opened.
    /// With `progress`, it is told of the body while it arrives.
    func getObject(_ key: String, exactly range: Range<Int64>, progress: (any BodyProgress)? = nil) async throws -> Data {
        let data: Data
        if let progress {
            data = try await getObject(key, range: range, progress: progress)
        } else {
            data = try await getObject(key, range: range)
        }
        guard data.count <= range.count else {
            throw TransportError(.other, "GetObject \(key) bytes \(range.lowerBound)-\(range.upperBound - 1): got \(data.count) bytes")
        }
        return data
    }
}
