/// The V1 sub-resource rule (oss-protocol.md 3.1): query names that are part of the
/// CanonicalizedResource — the union of every official SDK's list and the docs', plus any name
/// that starts with `x-oss-`.
public enum SubResources {
    /// Names signed in V1 (exact, case-sensitive).
    public static let names: Set<String> = [
        "acl", "append", "bucketInfo", "callback", "callback-var", "continuation-token", "delete", "location",
        "objectMeta", "partNumber", "position", "regionList", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "security-token", "sequential", "stat",
        "symlink", "tagging", "uploadId", "uploads", "versionId", "versioning", "versions",
        "cloudboxes", "resourceGroup", "cleanRestoredObject",
        "cors", "logging", "website", "referer", "lifecycle", "img", "style", "styleName", "replication",
        "replicationProgress", "replicationLocation", "cname", "comp", "qos", "live", "status", "vod",
        "startTime", "endTime", "encryption", "policy", "requestPayment", "inventory", "inventoryId", "worm",
        "wormId", "wormExtend", "objectInfo", "group", "link", "metaQuery", "transferAcceleration",
        "asyncFetch", "qosInfo", "accessPoint", "publicAccessBlock",
    ]

    /// True when query item `name` is signed by V1.
    public static func contains(_ name: String) -> Bool {
        names.contains(name) || name.hasPrefix("x-oss-")
    }
}
