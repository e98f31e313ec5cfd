import Foundation

extension OSSClient {
    /// HeadObject. Through a symlink the length and ETag are the target's; a dangling link fails with
    /// 404 `SymlinkTargetNotExist`, a link to a link with 400 `InvalidTargetType` (decoded from `x-oss-err`).
    public func headObject(_ key: String) async throws -> ObjectMetadata {
        ResponseParsing.metadata(try await send(Call(operation: "HeadObject", method: "HEAD", key: key)))
    }

    /// GetObject of `range` (half-open bytes; nil: everything) with `x-oss-range-behavior: standard`
    /// and `If-Match: ifMatch` (412 `PreconditionFailed` once the object is another
    /// version), telling `progress` of the body's prefixes while the 206 answer to a range arrives
    /// (when it is large: 256 KiB and more). Told once, before returning, of anything else: a whole
    /// object (its CRC-64 is checked first), a range answered with the whole object (cut to the range).
    public func getObject(_ key: String, range: Range<Int64>?, ifMatch: String?, progress: (any BodyProgress)?) async throws -> Data {
        var call = Call(operation: "GetObject", method: "GET", key: key)
        if let ifMatch { call.headers.append(("If-Match", ifMatch)) }
        if range != nil { call.progress = progress }
        let data = try await getObject(key, range: range, call: call)
        progress?.received(data)
        return data
    }

    private func getObject(_ key: String, range: Range<Int64>?, call: Call) async throws -> Data {
        var call = call
        if let range {
            if range.isEmpty { return Data() }
            call.headers += [("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)"), ("x-oss-range-behavior", "standard")]
        }
        let r = try await send(call)
        guard let range else {
            try ResponseParsing.verifyCRC(r, computed: CRC64.checksum(r.body), what: "GetObject \(key)")
            return r.body
        }
        if r.status == 200 {  // range ignored by the server: cut it out ourselves
            let lo = min(Int(range.lowerBound), r.body.count), hi = min(Int(clamping: range.upperBound), r.body.count)
            return r.body.subdata(in: (r.body.startIndex + lo)..<(r.body.startIndex + hi))
        }
        return r.body
    }

    /// PutObject from memory or a file slice; verifies the server's CRC-64 against the bytes sent.
    /// With `forbidOverwrite` a lost answer is retried too; a 409 `FileAlreadyExists` to that retry counts
    /// as success when the object there has the size and CRC-64 of the body sent (it is this write).
    @discardableResult
    public func putObject(_ key: String, body: UploadBody, options: WriteOptions) async throws -> String {
        let call = Call(operation: "PutObject", method: "PUT", key: key, headers: try ResponseParsing.writeHeaders(options),
                        body: body, safety: options.forbidOverwrite ? .verifiableCreate : .repeatable, computeUploadCRC: true)
        return try await sendCreate(call, answered: { r in
            try ResponseParsing.verifyCRC(r, computed: r.uploadCRC, what: "PutObject \(key)")
            return r.header("etag") ?? ""
        }, ownResult: {
            let meta = try await headObject(key)
            guard meta.type != .symlink, meta.contentLength == body.length else { return nil }
            if let crc = meta.crc64 {
                return crc == (try Self.crc64(of: body)) ? meta.etag : nil
            }
            if case .bytes(let d) = body, meta.etag.uppercased() == Digest.etag(d) { return meta.etag }
            return nil
        })
    }

    /// DeleteObject (succeeds whether or not the key existed).
    public func deleteObject(_ key: String) async throws {
        _ = try await send(Call(operation: "DeleteObject", method: "DELETE", key: key))
    }

    /// DeleteMultipleObjects in batches of 1000, not quiet (a quiet answer has no body, so a batch
    /// OSS deleted only in part would go unnoticed), with `encoding-type=url`. Keys the answer does
    /// not report deleted are sent again, up to `deleteRounds` times per batch; then the call fails.
    public func deleteObjects(_ keys: [String]) async throws {
        for k in keys { try ObjectName.validate(k) }
        var start = 0
        while start < keys.count {
            let batch = Array(keys[start..<min(start + 1000, keys.count)])
            var remaining = batch
            for _ in 0..<Self.deleteRounds where !remaining.isEmpty {
                let deleted = try await deleteBatch(remaining)
                remaining = remaining.filter { !deleted.contains($0) }
            }
            if !remaining.isEmpty {
                throw OSSError(.internalError, message: "DeleteMultipleObjects left \(remaining.count) of \(batch.count) keys"
                               + " after \(Self.deleteRounds) attempts, e.g. \(remaining[0])")
            }
            start += batch.count
        }
    }

    /// How many times one batch is sent while keys remain (ossfs 2.0 also re-sends them).
    static let deleteRounds = 8

    /// One DeleteMultipleObjects request; returns the keys reported deleted.
    private func deleteBatch(_ keys: [String]) async throws -> Set<String> {
        let body = DeleteMultipleObjects(keys: keys, quiet: false).xmlDocument()
        let r = try await send(Call(operation: "DeleteMultipleObjects", method: "POST", key: nil,
                                    query: [("delete", ""), ("encoding-type", "url")],
                                    headers: [("Content-MD5", Digest.contentMD5(body)), ("Content-Type", "application/xml")],
                                    body: .bytes(body)))
        return Set(try DeleteMultipleObjectsResult.decode(r.body).deleted)
    }

    /// CopyObject within the bucket. `metadata == nil` copies the source's metadata (COPY directive);
    /// otherwise it is replaced (REPLACE), and `forbidOverwrite` applies.
    public func copyObject(from source: String, to destination: String, replacing metadata: WriteOptions?) async throws {
        try ObjectName.validate(source)
        var headers: [(name: String, value: String)] = [("x-oss-copy-source", "/" + configuration.bucket + "/" + PercentEncoding.encodePath(source))]
        if let metadata {
            headers.append(("x-oss-metadata-directive", "REPLACE"))
            headers += try ResponseParsing.writeHeaders(metadata)
        } else {
            headers.append(("x-oss-metadata-directive", "COPY"))
        }
        let r = try await send(Call(operation: "CopyObject", method: "PUT", key: destination, headers: headers,
                                    safety: metadata?.forbidOverwrite == true ? .onlyIfNotApplied : .repeatable))
        _ = try CopyObjectResult.decode(r.body)
    }

    /// AppendObject at `position` (0 creates an appendable object). Never retried once the request may
    /// have reached the server. A 409 `PositionNotEqualToLength` carries the real length in
    /// `extras["NextAppendPosition"]`.
    public func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions = WriteOptions()) async throws -> AppendResult {
        let call = Call(operation: "AppendObject", method: "POST", key: key, query: [("append", ""), ("position", String(position))],
                        headers: try ResponseParsing.writeHeaders(options), body: body, safety: .onlyIfNotApplied,
                        computeUploadCRC: position == 0)
        let r: HTTPResponse
        do { r = try await send(call) } catch var e as OSSError where e.is(.positionNotEqualToLength) {
            if e.extras["NextAppendPosition"] == nil, let p = try? await headObject(key).nextAppendPosition {
                e.extras["NextAppendPosition"] = String(p)
            }
            throw e
        }
        if position == 0 { try ResponseParsing.verifyCRC(r, computed: r.uploadCRC, what: "AppendObject \(key)") }
        guard let next = r.header("x-oss-next-append-position").flatMap({ Int64($0) }) else {
            throw TransportError(.other, "AppendObject \(key): answer without x-oss-next-append-position")
        }
        return AppendResult(nextPosition: next, crc64: r.header("x-oss-hash-crc64ecma").flatMap { UInt64($0) },
                            etag: r.header("etag") ?? "")
    }

    /// `ObjectStore` conformance: AppendObject, answering only the next append position.
    public func appendObject(_ key: String, position: Int64, body: UploadBody, options: WriteOptions) async throws -> Int64 {
        let result: AppendResult = try await appendObject(key, position: position, body: body, options: options)
        return result.nextPosition
    }

    /// GetObjectACL.
    public func getObjectACL(_ key: String) async throws -> ObjectACL {
        let r = try await send(Call(operation: "GetObjectACL", method: "GET", key: key, query: [("acl", "")]))
        return try AccessControlPolicy.decode(r.body).grant
    }

    /// PutObjectACL.
    public func putObjectACL(_ key: String, acl: ObjectACL) async throws {
        _ = try await send(Call(operation: "PutObjectACL", method: "PUT", key: key, query: [("acl", "")],
                                headers: [("x-oss-object-acl", acl.rawValue)]))
    }
}
