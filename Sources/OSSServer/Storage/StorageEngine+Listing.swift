import Foundation

/// What a listing asks for; `after` is exclusive (V1 marker, V2 start-after / continuation token).
struct ListingQuery: Sendable {
    var prefix: String = ""
    var delimiter: String = ""
    var after: String?
    var maxKeys: Int = 100
}

/// One page of a listing in byte order: objects and common prefixes.
struct ListingResult: Sendable {
    var entries: [ListingEntry] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    /// The last key or common prefix returned, when truncated.
    var nextMarker: String?
}

extension StorageEngine {
    /// Lists `bucket` as a bounded range scan of the key index: it starts at the prefix (or past the
    /// marker), stops at the prefix's end and after `maxKeys` results, and skips a common prefix's
    /// keys with one index seek, so a page costs O(entries returned) rows whatever lies around it.
    func list(bucket: String, _ query: ListingQuery) throws -> ListingResult {
        try exclusively {
            guard bucketCache[bucket] != nil else { throw ServerError.noSuchBucket(bucket) }
            return try listUnlocked(bucket: bucket, query)
        }
    }

    private func listUnlocked(bucket: String, _ query: ListingQuery) throws -> ListingResult {
        let prefix = Array(query.prefix.utf8)
        let delimiter = Array(query.delimiter.utf8)
        let after = query.after.map { Array($0.utf8) }
        // Every key starting with `prefix` sorts below its successor (none: no upper bound).
        let end = prefix.isEmpty ? nil : Self.successor(of: prefix)
        let maxKeys = query.maxKeys
        var result = ListingResult()
        var count = 0
        var cursor = prefix
        var inclusive = true
        if let after, !after.lexicographicallyPrecedes(prefix) {
            cursor = after
            inclusive = false
        }
        var done = false
        while !done {
            var seek: [UInt8]?
            try index.scan(bucket: bucket, from: cursor, inclusive: inclusive, before: end, visit: { key in
                guard key.starts(with: prefix) else { done = true; return .stop }
                if !delimiter.isEmpty, let stop = Self.delimiterEnd(in: key, from: prefix.count, delimiter: delimiter) {
                    let common = Array(key[..<stop])
                    guard let next = Self.successor(of: common) else { done = true; return .stop }
                    seek = next
                    if let after, !after.lexicographicallyPrecedes(common) { return .stop }
                    if count == maxKeys { result.isTruncated = true; done = true; return .stop }
                    let text = String(decoding: common, as: UTF8.self)
                    result.commonPrefixes.append(text)
                    result.nextMarker = text
                    count += 1
                    return .stop
                }
                if count == maxKeys { result.isTruncated = true; done = true; return .stop }
                return .take
            }, take: { entry in
                result.entries.append(entry)
                result.nextMarker = entry.key
                count += 1
            })
            if done { break }
            guard let seek else { break }
            cursor = seek
            inclusive = true
        }
        if !result.isTruncated { result.nextMarker = nil }
        return result
    }

    /// Index just past the first occurrence of `delimiter` in `key` at or after `start`.
    static func delimiterEnd(in key: [UInt8], from start: Int, delimiter: [UInt8]) -> Int? {
        guard key.count - start >= delimiter.count else { return nil }
        var i = start
        while i + delimiter.count <= key.count {
            if key[i] == delimiter[0] && Array(key[i..<(i + delimiter.count)]) == delimiter { return i + delimiter.count }
            i += 1
        }
        return nil
    }

    /// The smallest byte string greater than every string starting with `bytes`.
    static func successor(of bytes: [UInt8]) -> [UInt8]? {
        var result = bytes
        while let last = result.last {
            if last < 0xFF { result[result.count - 1] = last + 1; return result }
            result.removeLast()
        }
        return nil
    }
}
