import Foundation
import NIOCore
import OSSProtocol

/// Streams a request body into a new temp data file on the thread pool, in batches of about
/// 1 MiB, so a multi-GiB body never sits in memory and the event loop never waits on the disk.
struct BodyReceiver: Sendable {
    let service: ServiceState
    static let batchBytes = 1 << 20
    /// Largest single object body (5 GiB, oss-protocol.md 2.4).
    static let maxObjectBytes: Int64 = 5 << 30

    /// Checks Content-Length / chunked framing before anything is read.
    static func checkFraming(_ request: RequestContext) throws {
        let chunked = request.header("Transfer-Encoding")?.lowercased().contains("chunked") ?? false
        guard let text = request.header("Content-Length") else {
            if chunked { return }
            throw ServerError.missingContentLength
        }
        guard let length = Int64(text), length >= 0 else { throw ServerError.invalidArgument("Invalid Content-Length.") }
        guard length <= maxObjectBytes else {
            throw ServerError.invalidArgument("Your proposed upload exceeds the maximum allowed size.", name: "Content-Length", value: text)
        }
    }

    /// Receives the body; on any failure the temp file is removed and the error rethrown.
    func receive(_ body: RequestStream, hashing: Bool = true) async throws -> WrittenData {
        let directory = service.storage.directory
        let writer = try await service.io { try DataFileWriter(directory: directory, hashing: hashing) }
        // One batch is hashed and written on the thread pool while the next one arrives; batches
        // are written strictly one after another (each write is awaited before the next starts).
        var inFlight: Task<Void, Error>?
        do {
            var batch: [ByteBuffer] = []
            var batchSize = 0
            var received: Int64 = 0
            while let chunk = try await body.nextChunk() {
                batch.append(chunk)
                batchSize += chunk.readableBytes
                received += Int64(chunk.readableBytes)
                if received > Self.maxObjectBytes { throw ServerError.entityTooLarge }
                if batchSize >= Self.batchBytes {
                    let pending = batch
                    batch.removeAll(keepingCapacity: true)
                    batchSize = 0
                    try await inFlight?.value
                    let service = self.service
                    inFlight = Task { try await service.io { for buffer in pending { try writer.write(buffer) } } }
                }
            }
            try await inFlight?.value
            inFlight = nil
            let pending = batch
            return try await service.io {
                for buffer in pending { try writer.write(buffer) }
                return try writer.finish()
            }
        } catch {
            _ = try? await inFlight?.value
            writer.abandon()
            throw error
        }
    }

    /// Receives the body and checks it against the request's `Content-MD5` (base64 of the binary
    /// MD5), if any: on a mismatch the temp file is removed and InvalidDigest thrown.
    func receive(_ body: RequestStream, verifying request: RequestContext) async throws -> WrittenData {
        let written = try await receive(body)
        if let expected = request.header("Content-MD5"),
           written.md5 == nil || Data(base64Encoded: expected.trimmingCharacters(in: .whitespaces)) != written.md5 {
            service.storage.directory.removeTemp(written.id)
            throw ServerError.invalidDigest
        }
        return written
    }
}
