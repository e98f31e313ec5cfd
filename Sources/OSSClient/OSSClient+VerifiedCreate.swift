import Foundation

/// A 409 `FileAlreadyExists` answered to a forbid-overwrite create after an earlier attempt of the
/// same call may have been applied: the object there may be this client's own write.
struct UnconfirmedConflict: Error {
    let error: OSSError
}

extension OSSClient {
    /// Sends a forbid-overwrite create (`call.safety == .verifiableCreate`). When a retry is answered
    /// 409 `FileAlreadyExists` after an attempt whose answer was lost, `ownResult` looks at what is
    /// there now: it returns the result to report when that is what this client sent, nil when not
    /// (then the 409 is thrown). Errors of the check itself (other than `OSSError`, e.g. 404 because the
    /// object went away) are thrown.
    func sendCreate<T>(_ call: Call, answered: (HTTPResponse) throws -> T,
                       ownResult: () async throws -> T?) async throws -> T {
        let response: HTTPResponse
        do { response = try await send(call) } catch let conflict as UnconfirmedConflict {
            let mine: T?
            do { mine = try await ownResult() } catch is OSSError { mine = nil }
            if let mine {
                return mine
            }
            throw conflict.error
        }
        return try answered(response)
    }

    /// CRC-64 of an upload body (read again from its file for a file slice).
    static func crc64(of body: UploadBody) throws -> UInt64 {
        switch body {
        case .bytes(let d): return CRC64.checksum(d)
        case .file(let path, let offset, let length):
            guard let h = FileHandle(forReadingAtPath: path) else { throw TransportError(.localIO, "cannot open \(path)") }
            defer { try? h.close() }
            try h.seek(toOffset: UInt64(offset))
            var crc = CRC64(), left = length
            while left > 0 {
                guard let chunk = try h.read(upToCount: Int(min(left, 1 << 20))), !chunk.isEmpty else {
                    throw TransportError(.localIO, "\(path) ended before offset \(offset) + length \(length)")
                }
                crc.update(chunk)
                left -= Int64(chunk.count)
            }
            return crc.value
        }
    }

    /// The ETag OSS gives a multipart object made of `parts` (sorted): `"HEX-N"`, the upper-case MD5 over
    /// the concatenated binary MD5s of the parts (their ETags).
    static func multipartETag(_ parts: [UploadedPart]) -> String? {
        Digest.multipartETag(partETags: parts.map(\.etag))
    }
}
