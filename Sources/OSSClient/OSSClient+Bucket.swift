import Foundation

extension OSSClient {
    /// GetBucketInfo of the configured bucket.
    public func getBucketInfo() async throws -> BucketInfo {
        let r = try await send(Call(operation: "GetBucketInfo", method: "GET", key: nil, query: [("bucketInfo", "")]))
        do { return try BucketInfo.decode(r.body) } catch { throw undecodable("GetBucketInfo", r, error) }
    }

    /// GetBucketLocation: `oss-<region>`.
    public func getBucketLocation() async throws -> String {
        let r = try await send(Call(operation: "GetBucketLocation", method: "GET", key: nil, query: [("location", "")]))
        do { return try LocationConstraint.decode(r.body).location } catch { throw undecodable("GetBucketLocation", r, error) }
    }
}
