import CCurl
import Foundation
import OSSProtocol
import Synchronization

/// Settings applied to every easy handle.
struct TransferSettings: Sendable {
    var connectTimeout: Double
    var lowSpeedTimeout: Double
    /// PEM bundle of trusted certificate authorities; nil: the system's. Peer and host name are
    /// always verified (curl's defaults, never turned off).
    var caFile: String? = nil
}

/// One request on one curl easy handle: sets it up, collects the answer through the C callbacks,
/// and resumes the waiting task exactly once.
/// Sendable by hand: created by the caller, then touched only by the loop thread until `finish`;
/// `cancelled` (atomic) is the one field read across threads.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    private let body: BodySource?
    private var crc: CRC64?
    private var headers: [(name: String, value: String)] = []
    private var responseBody = Data()
    /// A pooled buffer the body is written into when its length is known and large (see
    /// `ResponseBufferPool`); `pooledCount` bytes filled. Its prefixes go to `request.progress`.
    private var pooled: PooledBuffer?
    private var pooledCount = 0
    /// Status of the answer being received (from its status line).
    private var status = 0
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var continuation: CheckedContinuation<HTTPResponse, Error>?
    let cancelled = Atomic<Bool>(false)
    static let maxReservation = 1 << 30

    init(_ request: HTTPRequest, continuation: CheckedContinuation<HTTPResponse, Error>) throws {
        self.request = request
        self.continuation = continuation
        let upload = request.body ?? ((request.method == "PUT" || request.method == "POST") ? .bytes(Data()) : nil)
        body = try upload.map(BodySource.init)
        crc = request.computeUploadCRC ? CRC64() : nil
        errorBuffer[0] = 0
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// Applies the request to a fresh (or reset) easy handle.
    func configure(_ h: UnsafeMutableRawPointer, settings: TransferSettings) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        request.url.withCString { _ = ccurl_easy_setopt_string(h, CURLOPT_URL, $0) }
        _ = ccurl_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_PATH_AS_IS, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_BUFFERSIZE, 512 * 1024)
        _ = ccurl_easy_setopt_long(h, CURLOPT_UPLOAD_BUFFERSIZE, 512 * 1024)
        _ = ccurl_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
        _ = ccurl_easy_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_LOW_SPEED_TIME, max(1, Int(settings.lowSpeedTimeout.rounded(.up))))
        _ = ccurl_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, errorBuffer)
        if let caFile = settings.caFile { caFile.withCString { _ = ccurl_easy_setopt_string(h, CURLOPT_CAINFO, $0) } }
        _ = ccurl_easy_setopt_write_cb(h, CURLOPT_WRITEFUNCTION, curlWrite)
        _ = ccurl_easy_setopt_ptr(h, CURLOPT_WRITEDATA, me)
        _ = ccurl_easy_setopt_write_cb(h, CURLOPT_HEADERFUNCTION, curlHeader)
        _ = ccurl_easy_setopt_ptr(h, CURLOPT_HEADERDATA, me)
        _ = ccurl_easy_setopt_long(h, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_easy_setopt_xferinfo_cb(h, curlProgress)
        _ = ccurl_easy_setopt_ptr(h, CURLOPT_XFERINFODATA, me)

        if request.method == "HEAD" {
            _ = ccurl_easy_setopt_long(h, CURLOPT_NOBODY, 1)
        } else if let body {
            _ = ccurl_easy_setopt_long(h, CURLOPT_UPLOAD, 1)
            _ = ccurl_easy_setopt_off(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(body.length))
            _ = ccurl_easy_setopt_write_cb(h, CURLOPT_READFUNCTION, curlRead)
            _ = ccurl_easy_setopt_ptr(h, CURLOPT_READDATA, me)
            _ = ccurl_easy_setopt_seek_cb(h, curlSeek)
            _ = ccurl_easy_setopt_ptr(h, CURLOPT_SEEKDATA, me)
            if request.method != "PUT" { request.method.withCString { _ = ccurl_easy_setopt_string(h, CURLOPT_CUSTOMREQUEST, $0) } }
        } else if request.method != "GET" {
            request.method.withCString { _ = ccurl_easy_setopt_string(h, CURLOPT_CUSTOMREQUEST, $0) }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers + [("Expect", ""), ("Accept", "")] {
            let line = value.isEmpty ? name + (name == "Expect" || name == "Accept" ? ":" : ";") : name + ": " + value
            list = curl_slist_append(list, line)
        }
        headerList = list
        _ = ccurl_easy_setopt_ptr(h, CURLOPT_HTTPHEADER, list.map { UnsafeMutableRawPointer($0) })
    }

    // MARK: callbacks (loop thread)

    fileprivate func appendBody(_ p: UnsafeMutablePointer<CChar>, _ n: Int) {
        if let pooled {
            if pooledCount + n <= pooled.capacity {
                (pooled.base + pooledCount).copyMemory(from: p, byteCount: n)
                pooledCount += n
                if let progress = request.progress, status == 206 {
                    progress.received(pooled.data(count: pooledCount))
                }
                return
            }
            // Longer than announced: continue in `Data`.
            responseBody = Data(bytes: pooled.base, count: pooledCount)
            releasePooled()
        }
        p.withMemoryRebound(to: UInt8.self, capacity: n) { responseBody.append($0, count: n) }
    }

    private func releasePooled() {
        pooled = nil
        pooledCount = 0
    }

    /// The body received, handing a pooled buffer over to the returned `Data`.
    private func takeBody() -> Data {
        guard let p = pooled else { return responseBody }
        pooled = nil
        return pooledCount > 0 ? p.data(count: pooledCount) : Data()
    }

    fileprivate func appendHeader(_ p: UnsafeMutablePointer<CChar>, _ n: Int) {
        let line = String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            let fields = line.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            headers.removeAll()
            releasePooled()
            responseBody = Data()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingHTTPWhitespaceAndNewlines()
        headers.append((name, value))
        // One allocation for the whole body (capped: the length comes from the network).
        if name == "content-length", request.method != "HEAD", let n = Int(value), n > 0, responseBody.isEmpty, pooled == nil {
            if let capacity = ResponseBufferPool.sizeClass(for: n) {
                pooled = PooledBuffer(capacity: capacity)
            } else {
                responseBody.reserveCapacity(min(n, CurlTransfer.maxReservation))
            }
        }
    }

    fileprivate func readBody(_ p: UnsafeMutablePointer<CChar>, _ max: Int) -> Int {
        guard let body else { return 0 }
        guard let n = body.read(into: p, max: max) else { return Int(CURL_READFUNC_ABORT) }
        if n > 0, crc != nil { crc!.update(UnsafeRawBufferPointer(start: p, count: n)) }
        return n
    }

    fileprivate func seekBody(_ offset: Int64) -> Int32 {
        guard let body, body.seek(to: offset) else { return CURL_SEEKFUNC_FAIL }
        if crc != nil { crc = offset == 0 ? CRC64() : nil }
        return CURL_SEEKFUNC_OK
    }

    // MARK: completion

    /// Builds the answer or the failure and resumes the waiting task. Called once, on the loop thread.
    func finish(_ h: UnsafeMutableRawPointer?, result: CURLcode) {
        guard let c = continuation else { return }
        continuation = nil
        guard let h, result == CURLE_OK else {
            c.resume(throwing: failure(h, result))
            return
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        c.resume(returning: HTTPResponse(status: status, headers: headers, body: takeBody(), uploadCRC: crc?.value))
    }

    /// Fails without having started (shutdown, handle exhaustion).
    func fail(_ error: Error) {
        guard let c = continuation else { return }
        continuation = nil
        c.resume(throwing: error)
    }

    private func failure(_ h: UnsafeMutableRawPointer?, _ code: CURLcode) -> Error {
        if code == CURLE_ABORTED_BY_CALLBACK && cancelled.load(ordering: .relaxed) { return CancellationError() }
        let detail = String(cString: errorBuffer)
        let text = String(cString: curl_easy_strerror(code)) + (detail.isEmpty ? "" : ": " + detail)
        var connectTime = 0.0
        if let h { _ = ccurl_easy_getinfo_double(h, CURLINFO_CONNECT_TIME, &connectTime) }
        let notConnected = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST
            || (code == CURLE_OPERATION_TIMEDOUT && connectTime == 0)
        let kind: TransportError.Kind
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_READ_ERROR, CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK:
            kind = body?.readError != nil ? .localIO : .other
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
             CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .connection
        default: kind = .other
        }
        let message = body?.readError.map { "reading the upload body failed: \($0)" } ?? text
        return TransportFailure(error: TransportError(kind, "\(request.method) \(request.url): \(message)"),
                                requestSent: !notConnected)
    }
}

private func transfer(_ p: UnsafeMutableRawPointer?) -> CurlTransfer {
    Unmanaged<CurlTransfer>.fromOpaque(p!).takeUnretainedValue()
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { p, size, n, ud in
    guard let p else { return 0 }
    transfer(ud).appendBody(p, size * n)
    return size * n
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { p, size, n, ud in
    guard let p else { return 0 }
    transfer(ud).appendHeader(p, size * n)
    return size * n
}

private let curlRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { p, size, n, ud in
    guard let p else { return Int(CURL_READFUNC_ABORT) }
    return transfer(ud).readBody(p, size * n)
}

private let curlSeek: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, Int32) -> Int32 = { ud, offset, origin in
    guard origin == SEEK_SET else { return CURL_SEEKFUNC_CANTSEEK }
    return transfer(ud).seekBody(Int64(offset))
}

private let curlProgress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = { ud, _, _, _, _ in
    transfer(ud).cancelled.load(ordering: .relaxed) ? 1 : 0
}
