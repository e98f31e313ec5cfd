import Foundation

/// What the attribute and listing caches answered, and what they hold.
public struct CacheStatistics: Sendable, Equatable {
    /// Lookups answered from the cache (a stat or a known absence) / not.
    public var attributeHits: UInt64 = 0
    public var attributeMisses: UInt64 = 0
    /// Directory reads answered from a cached complete listing / not.
    public var listingHits: UInt64 = 0
    public var listingMisses: UInt64 = 0
    /// Paths and listings forgotten to stay within `MountConfiguration.maxCachedEntries`.
    public var evictions: UInt64 = 0
    /// Paths and directory listings held now (expired ones until the next sweep).
    public var attributeEntries = 0
    public var listingEntries = 0
}

/// A mount's caches and write path at one moment, for `-o metrics`.
public struct MountStatistics: Sendable, Equatable {
    public var cache = CacheStatistics()
    /// Bytes held in the staging files of open files.
    public var stagedBytes: Int64 = 0
    /// Open files with writes not yet uploaded.
    public var dirtyFiles = 0
    /// Whole-file uploads (PutObject or multipart) running now.
    public var uploadsInFlight = 0
}
