import Foundation
import OSSProtocol

/// If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since (and the `x-oss-copy-source-`
/// variants of CopyObject), evaluated as S3/OSS do: a failed If-Match or If-Unmodified-Since is 412,
/// a matching If-None-Match or an unmodified If-Modified-Since is 304. Unparseable dates are ignored.
enum Preconditions {
    static func check(_ header: (String) -> String?, prefix: String = "", etag: String, lastModified: Date) throws {
        let seconds = floor(lastModified.timeIntervalSince1970)
        let ifMatch = header(prefix + "if-match")
        if let ifMatch, !matches(ifMatch, etag) { throw ServerError.preconditionFailed }
        if ifMatch == nil, let text = header(prefix + "if-unmodified-since"), let date = parse(text),
           seconds > date.timeIntervalSince1970 {
            throw ServerError.preconditionFailed
        }
        let ifNoneMatch = header(prefix + "if-none-match")
        if let ifNoneMatch, matches(ifNoneMatch, etag) { throw ServerError.notModified.with(etag: etag, lastModified: lastModified) }
        if ifNoneMatch == nil, let text = header(prefix + "if-modified-since"), let date = parse(text),
           seconds <= date.timeIntervalSince1970 {
            throw ServerError.notModified.with(etag: etag, lastModified: lastModified)
        }
    }

    private static func parse(_ text: String) -> Date? {
        HTTPDate.parseRFC1123(text) ?? HTTPDate.parseISO8601(text)
    }

    /// Compares ETag lists (`"A", "B"` or `*`) ignoring quotes, weak prefixes and case.
    static func matches(_ list: String, _ etag: String) -> Bool {
        let wanted = ETag.normalized(etag)
        return list.split(separator: ",").contains { candidate in
            let c = candidate.trimmingCharacters(in: .whitespaces)
            return c == "*" || ETag.normalized(c) == wanted
        }
    }
}

extension ServerError {
    /// A 304 carries the validators it was compared against.
    func with(etag: String, lastModified: Date) -> ServerError {
        var copy = self
        copy.headers += [("ETag", etag), ("Last-Modified", HTTPDate.rfc1123(lastModified))]
        return copy
    }
}
