import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// Writes the object at `sourceKey` (`size` bytes, read pinned to `baseETag` when given) again
    /// at `destinationKey` with `options`, cut to `newSize` when given, through a staging file, so
    /// memory stays bounded whatever the size (up to 5 GB for an appendable object). Used where a
    /// copy cannot be: truncation, and appendable objects, which OSS does not copy ("The
    /// CopyObject operation cannot be performed on appendable objects", OSS AppendObject page),
    /// not even onto themselves to change their metadata. The new version is a Normal object.
    /// Returns its ETag.
    func rewriteObject(from sourceKey: String, size: Int64, baseETag: String?, to destinationKey: String,
                       truncatingTo newSize: Int64? = nil, options: WriteOptions) async throws -> String {
        if newSize == 0 { return try await store.putObject(destinationKey, body: .bytes(Data()), options: options) }
        let source = try StagedFile(store: store, key: sourceKey, configuration: configuration, initialSize: size,
                                    loadExisting: true, baseETag: baseETag)
        defer { source.discard() }
        if let newSize { try await source.truncate(to: newSize) }
        guard destinationKey != sourceKey else { return try await source.upload(options: options) }
        let destination = try StagedFile(store: store, key: destinationKey, configuration: configuration,
                                         initialSize: 0, loadExisting: false)
        defer { destination.discard() }
        try await destination.copyContent(of: source)
        return try await destination.upload(options: options)
    }
}

extension StagedFile {
    /// Makes this (empty) staged file hold the content of `other`, 8 MiB at a time.
    func copyContent(of other: StagedFile) async throws {
        let size = other.size
        var offset: Int64 = 0
        while offset < size {
            let chunk = try await other.read(offset: offset, size: 8 << 20)
            if chunk.isEmpty { break }
            _ = try await write(offset: offset, data: chunk)
            offset += Int64(chunk.count)
        }
        try await truncate(to: size)
    }
}
