import Foundation

extension OSSClient {
    /// InitiateMultipartUpload; returns the upload id.
    public func initiateMultipartUpload(_ key: String, options: WriteOptions) async throws -> String {
        let r = try await send(Call(operation: "InitiateMultipartUpload", method: "POST", key: key,
                                    query: [("uploads", ""), ("encoding-type", "url")],
                                    headers: try ResponseParsing.writeHeaders(options)))
        do { return try InitiateMultipartUploadResult.decode(r.body).uploadId } catch {
            throw undecodable("InitiateMultipartUpload", r, error)
        }
    }

    /// UploadPart from memory or a file slice; verifies the part's CRC-64.
    public func uploadPart(_ key: String, uploadId: String, partNumber: Int, body: UploadBody) async throws -> UploadedPart {
        let r = try await send(Call(operation: "UploadPart", method: "PUT", key: key,
                                    query: [("partNumber", String(partNumber)), ("uploadId", uploadId)],
                                    body: body, computeUploadCRC: true))
        try ResponseParsing.verifyCRC(r, computed: r.uploadCRC, what: "UploadPart \(key) #\(partNumber)")
        guard let etag = r.header("etag") else { throw TransportError(.other, "UploadPart \(key) #\(partNumber): answer without ETag") }
        return UploadedPart(number: partNumber, etag: etag)
    }

    /// CompleteMultipartUpload with `parts` (sorted by number here); returns the object's ETag.
    /// Without `forbidOverwrite` retried only when the server cannot have completed it. With it (and part
    /// ETags that are MD5s) a lost answer is retried, and a 409 `FileAlreadyExists` to the retry counts as
    /// success when the object there has the multipart ETag these parts make.
    @discardableResult
    public func completeMultipartUpload(_ key: String, uploadId: String, parts: [UploadedPart], forbidOverwrite: Bool) async throws -> String {
        let body = CompleteMultipartUpload(parts: parts.sorted { $0.number < $1.number }).xmlDocument()
        var headers: [(name: String, value: String)] = [("Content-MD5", Digest.contentMD5(body)), ("Content-Type", "application/xml")]
        if forbidOverwrite { headers.append(("x-oss-forbid-overwrite", "true")) }
        let sorted = parts.sorted { $0.number < $1.number }
        let expectedETag = forbidOverwrite ? Self.multipartETag(sorted) : nil
        let call = Call(operation: "CompleteMultipartUpload", method: "POST", key: key,
                        query: [("uploadId", uploadId), ("encoding-type", "url")], headers: headers,
                        body: .bytes(body), safety: expectedETag != nil ? .verifiableCreate : .onlyIfNotApplied)
        return try await sendCreate(call, answered: { r in
            do { return try CompleteMultipartUploadResult.decode(r.body).etag } catch {
                throw undecodable("CompleteMultipartUpload", r, error)
            }
        }, ownResult: {
            // A 409 to a retry after a lost answer: ours if the object there has the ETag these parts make.
            let meta = try await headObject(key)
            return meta.type != .symlink && meta.etag.uppercased() == expectedETag ? meta.etag : nil
        })
    }

    /// AbortMultipartUpload.
    public func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        _ = try await send(Call(operation: "AbortMultipartUpload", method: "DELETE", key: key, query: [("uploadId", uploadId)]))
    }
}
