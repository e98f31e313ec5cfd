import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// Writes a legacy link (ossfs 1.x / s3fs form: `x-oss-meta-mode` with S_IFLNK, body = text) with
    /// AppendObject at position 0, so listings show it as `Appendable`, which marks it as a candidate
    /// for a HEAD (see `DirectoryListing`): after a remount `ls -l` still sees a link. The text is
    /// also kept in `x-oss-meta-ossfuse-target` when it fits, so one HEAD reads it.
    ///
    /// `replacing == false`: an existing key gives FileAlreadyExists (EEXIST). `replacing == true`: an
    /// existing object is deleted first (AppendObject cannot overwrite, CopyObject cannot copy an
    /// appendable object). Between the delete and the append the link does not exist, so if that
    /// append fails (a fault, a dropped connection) the link is written with PutObject instead,
    /// which the client retries and which replaces whatever the failed append may have left: a
    /// Normal object, seen as a link on lookup. A store without AppendObject gets a PutObject too.
    /// Returns the stored object's type.
    func writeLegacyLink(_ path: String, text: String, metadata: [String: String], replacing: Bool) async throws -> ObjectType {
        let key = keys.objectKey(path)
        var metadata = metadata
        metadata[PosixMetadata.mode] = String(UInt32(S_IFLNK) | 0o777)
        metadata[PosixMetadata.legacyLinkTarget] = nil
        let encoded = SymlinkTarget.percentEncode(text)
        metadata[SymlinkTarget.keptTextMetadata] = encoded.utf8.count <= Self.maxKeptLegacyBytes ? encoded : nil
        let options = WriteOptions(userMetadata: metadata)
        let body = UploadBody.bytes(Data(text.utf8))
        do {
            _ = try await store.appendObject(key, position: 0, body: body, options: options)
            return .appendable
        } catch let error as OSSError where error.is(oneOf: .objectNotAppendable, .positionNotEqualToLength) {
            guard replacing else { throw OSSError(.fileAlreadyExists) }
        } catch let error as OSSError where error.is(.notImplemented) || error.httpStatus == 405 || error.httpStatus == 501 {
            var put = options
            put.forbidOverwrite = !replacing
            try await store.putObject(key, body: body, options: put)
            return .normal
        }
        try await store.deleteObject(key)
        do {
            _ = try await store.appendObject(key, position: 0, body: body, options: options)
            return .appendable
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            superblock.log("legacy link \(key): appending it again failed (\(error)); writing it as a Normal object",
                           level: .warning)
            try await store.putObject(key, body: body, options: options)
            return .normal
        }
    }

    /// Largest percent-encoded text kept in metadata beside the body (user metadata is 8 KB in all).
    static let maxKeptLegacyBytes = 2048

    /// Copies the object at `from` to `to` (replacing it), with `replacing` as its new metadata
    /// when given. CopyObject, except for an appendable object, which OSS does not copy: a legacy
    /// link is written again, any other appendable object is streamed through a staging file (see
    /// `rewriteObject`) and becomes a Normal object.
    func copyKey(from: String, to: String, objectType: ObjectType?, replacing: WriteOptions? = nil) async throws {
        let source = keys.objectKey(from), destination = keys.objectKey(to)
        guard objectType == .appendable else {
            try await store.copyObject(from: source, to: destination, replacing: replacing)
            return
        }
        let metadata = try await store.headObject(source)
        let stat = try await superblock.objectStat(from, metadata)
        if stat.kind == .symlink {
            try await rewriteLink(stat, from: from, to: to)
            return
        }
        _ = try await rewriteObject(from: source, size: metadata.contentLength, baseETag: nil, to: destination,
                                    options: replacing ?? WriteOptions(userMetadata: metadata.userMetadata,
                                                                       contentType: metadata.contentType,
                                                                       contentHeaders: metadata.contentHeaders))
    }
}
