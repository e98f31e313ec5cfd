import CCrypto
import Foundation

/// Message digests and HMACs from OpenSSL libcrypto (EVP), the only crypto OSS signing needs.
public enum Digest {
    /// MD5 of `data` (16 bytes). Used for `Content-MD5` and ETags.
    public static func md5(_ data: Data) -> Data { evp(EVP_md5(), data) }
    /// SHA-256 of `data` (32 bytes).
    public static func sha256(_ data: Data) -> Data { evp(EVP_sha256(), data) }
    /// HMAC-SHA1 (20 bytes), the V1 signature primitive.
    public static func hmacSHA1(key: Data, _ data: Data) -> Data { hmac(EVP_sha1(), key: key, data) }
    /// HMAC-SHA256 (32 bytes), the V4 signature primitive.
    public static func hmacSHA256(key: Data, _ data: Data) -> Data { hmac(EVP_sha256(), key: key, data) }

    /// Lower-case hexadecimal of `data`.
    public static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(data.count * 2)
        for b in data { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `Content-MD5` value: base64 of the binary MD5.
    public static func contentMD5(_ data: Data) -> String { md5(data).base64EncodedString() }

    /// OSS ETag of a simple upload: quoted upper-case hex MD5.
    public static func etag(_ data: Data) -> String { etag(md5: md5(data)) }

    /// An ETag as OSS writes it from a binary MD5: quoted upper-case hex, then `suffix`.
    public static func etag(md5: Data, suffix: String = "") -> String { "\"" + hex(md5).uppercased() + suffix + "\"" }

    /// The ETag OSS gives a multipart object from its parts' ETags, in part order: `"HEX-N"`, the
    /// MD5 over the concatenated binary MD5s of the parts. Nil when a part's ETag (quotes allowed)
    /// is not 32 hexadecimal digits.
    public static func multipartETag(partETags: [String]) -> String? {
        var concatenated = Data()
        for partETag in partETags {
            let hex = Array(partETag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).utf8)
            guard hex.count == 32 else { return nil }
            for i in stride(from: 0, to: hex.count, by: 2) {
                guard let byte = UInt8(String(decoding: hex[i...(i + 1)], as: UTF8.self), radix: 16) else { return nil }
                concatenated.append(byte)
            }
        }
        return etag(md5: md5(concatenated), suffix: "-\(partETags.count)")
    }

    private static func evp(_ md: OpaquePointer?, _ data: Data) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        let ok = data.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &out, &len, md, nil)
        }
        precondition(ok == 1, "EVP_Digest failed")
        return Data(out[0..<Int(len)])
    }

    private static func hmac(_ md: OpaquePointer?, key: Data, _ data: Data) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                HMAC(md, k.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(k.count),
                     d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count, &out, &len)
            }
        }
        precondition(result != nil, "HMAC failed")
        return Data(out[0..<Int(len)])
    }
}

extension Digest {
    /// Streaming MD5 / SHA-256 for bodies that arrive in pieces (server uploads, multipart ETags).
    public final class Stream {
        private let ctx: OpaquePointer
        /// The algorithms a stream can compute.
        public enum Algorithm: Sendable { case md5, sha256 }

        /// Starts a new digest computation.
        public init(_ algorithm: Algorithm) {
            guard let c = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
            ctx = c
            EVP_DigestInit_ex(ctx, algorithm == .md5 ? EVP_md5() : EVP_sha256(), nil)
        }
        deinit { EVP_MD_CTX_free(ctx) }

        /// Adds bytes.
        public func update(_ buffer: UnsafeRawBufferPointer) {
            if buffer.count > 0 { EVP_DigestUpdate(ctx, buffer.baseAddress, buffer.count) }
        }
        /// Adds bytes.
        public func update(_ data: Data) { data.withUnsafeBytes { update($0) } }
        /// Returns the digest; the stream must not be used afterwards.
        public func finish() -> Data {
            var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var len: UInt32 = 0
            EVP_DigestFinal_ex(ctx, &out, &len)
            return Data(out[0..<Int(len)])
        }
    }
}
