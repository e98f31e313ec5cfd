import Foundation
import OSSProtocol

extension ObjectStore {
    /// GetObject of `range`, checked: an answer longer than the range (a server that ignored the
    /// Range header and sent the whole object) is an error rather than bytes at the wrong offset.
    /// A shorter answer is the end of an object that shrank since it was opened.
    /// Only of the version `ifMatch` when given; with `progress`, told of the body while it arrives.
    func getObject(_ key: String, exactly range: Range<Int64>, ifMatch: String?,
                   progress: (any BodyProgress)? = nil) async throws -> Data {
        let data = try await getObject(key, range: range, ifMatch: ifMatch, progress: progress)
        guard data.count <= range.count else {
            throw TransportError(.other, "GetObject \(key) bytes \(range.lowerBound)-\(range.upperBound - 1): got \(data.count) bytes")
        }
        return data
    }
}
