import Foundation

extension OSSClient {
    /// RestoreObject (`POST /key?restore` with a `<RestoreRequest>` body): 202 when a restore
    /// starts, 200 when the object was restored already; errors as thrown by `send`.
    @discardableResult
    public func restoreObject(_ key: String, request: RestoreRequest) async throws -> Int {
        let body = request.xmlDocument()
        let r = try await send(Call(operation: "RestoreObject", method: "POST", key: key, query: [("restore", "")],
                                    headers: [("Content-MD5", Digest.contentMD5(body)), ("Content-Type", "application/xml")],
                                    body: .bytes(body)))
        return r.status
    }
}
