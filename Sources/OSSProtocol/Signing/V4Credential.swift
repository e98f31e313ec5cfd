/// The `Credential=` value of V4: `<AK>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`.
public struct V4Credential: Sendable, Equatable {
    public var accessKeyId: String
    public var date: String
    public var region: String
    public var product: String

    /// Creates a credential scope.
    public init(accessKeyId: String, date: String, region: String, product: String = "oss") {
        self.accessKeyId = accessKeyId; self.date = date; self.region = region; self.product = product
    }

    /// Parses `ak/20231216/cn-hangzhou/oss/aliyun_v4_request`; nil when malformed.
    public init?(parsing s: String) {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, parts[1].count == 8, !parts[2].isEmpty, !parts[3].isEmpty,
              parts[4] == "aliyun_v4_request" else { return nil }
        self.init(accessKeyId: parts[0], date: parts[1], region: parts[2], product: parts[3])
    }

    /// The scope without the access key id.
    public var scope: String { SignerV4.scope(date: date, region: region, product: product) }
}
