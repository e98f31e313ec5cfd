import Foundation
import OSSProtocol

/// `--populate SPEC`: empty objects inserted straight into the index in one transaction, so tests
/// and benchmarks get a bucket of a million keys in seconds instead of a million PUTs.
///
/// SPEC is a comma-separated list of parts:
/// - `DIR/:N` makes N objects `DIR/f0000000` ... in DIR (one flat directory);
/// - `DIR/:DxN` makes D directories `DIR/d0000/` ... holding N objects each (`DIR/d0000/f0000`).
/// DIR may be empty (`:N`, the bucket's root). Names are zero-padded to the count's digits, so
/// byte order is numeric order.
public struct PopulateSpec: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var prefix: String
        public var directories: Int?
        public var objects: Int
    }

    public var parts: [Part]

    /// Objects the spec makes in all.
    public var objectCount: Int { parts.reduce(0) { $0 + ($1.directories ?? 1) * $1.objects } }

    /// Parses SPEC; nil when it is malformed.
    public init?(_ text: String) {
        var parts: [Part] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = item.lastIndex(of: ":") else { return nil }
            let prefix = String(item[..<colon])
            guard prefix.isEmpty || (prefix.hasSuffix("/") && !prefix.hasPrefix("/")) else { return nil }
            let count = item[item.index(after: colon)...]
            if let x = count.firstIndex(of: "x") {
                guard let directories = Int(count[..<x]), let objects = Int(count[count.index(after: x)...]),
                      directories > 0, objects >= 0 else { return nil }
                parts.append(Part(prefix: prefix, directories: directories, objects: objects))
            } else {
                guard let objects = Int(count), objects >= 0 else { return nil }
                parts.append(Part(prefix: prefix, directories: nil, objects: objects))
            }
        }
        guard !parts.isEmpty else { return nil }
        self.parts = parts
    }

    /// Every key the spec makes, in the order of its parts.
    func forEachKey(_ body: (String) throws -> Void) rethrows {
        func padded(_ number: Int, _ count: Int) -> String {
            let digits = String(max(count - 1, 0)).count
            let text = String(number)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        for part in parts {
            if let directories = part.directories {
                for d in 0..<directories {
                    let directory = part.prefix + "d" + padded(d, directories) + "/"
                    for n in 0..<part.objects { try body(directory + "f" + padded(n, part.objects)) }
                }
            } else {
                for n in 0..<part.objects { try body(part.prefix + "f" + padded(n, part.objects)) }
            }
        }
    }
}

extension StorageEngine {
    /// Inserts the empty objects `spec` names into `bucket` (replacing same-named ones) in one
    /// transaction; returns how many.
    func populate(bucket: String, _ spec: PopulateSpec) throws -> Int {
        try exclusively {
            guard bucketCache[bucket] != nil else { throw ServerError.noSuchBucket(bucket) }
            let now = currentMillis()
            var count = 0
            try index.connection.transaction {
                try spec.forEachKey { key in
                    try index.upsertObject(ObjectRecord(
                        bucket: bucket, key: key, type: .normal, size: 0, etag: "\"D41D8CD98F00B204E9800998ECF8427E\"",
                        crc64: 0, contentMD5: "1B2M2Y8AsgTpgAmY7PhCfg==", lastModifiedMillis: now, acl: .default,
                        storageClass: "Standard", standardHeaders: ["Content-Type": "application/octet-stream"],
                        userMetadata: [:], dataId: nil, symlinkTarget: nil))
                    count += 1
                }
            }
            return count
        }
    }
}
