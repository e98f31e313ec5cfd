"""GetObject ranges (oss-protocol.md 2.5 table, both behaviours) and conditional requests."""
import time

import oss2

from harness import test, unique, check, eq, expect_error, raw

BODY = bytes(i % 251 for i in range(1000))


def setup(env):
    b, p = env.bucket(), unique("rng")
    b.put_object(p + "obj", BODY)
    return b, p + "obj"


def get(env, key, rng, standard=False):
    headers = {"Range": rng}
    if standard:
        headers["x-oss-range-behavior"] = "standard"
    return raw(env, "GET", key, headers=headers)


@test
def range_table_default_behaviour(env):
    b, key = setup(env)
    cases = [("bytes=0-499", 206, BODY[:500], "bytes 0-499/1000"),
             ("bytes=-500", 206, BODY[500:], "bytes 500-999/1000"),
             ("bytes=500-", 206, BODY[500:], "bytes 500-999/1000"),
             ("bytes=500-2000", 200, BODY, None),
             ("bytes=1000-2000", 200, BODY, None),
             ("bytes=abc", 200, BODY, None),
             ("bytes=0-1,5-6", 200, BODY, None),
             ("bytes=0-0", 206, BODY[:1], "bytes 0-0/1000")]
    for rng, status, body, content_range in cases:
        r = get(env, key, rng)
        eq(r.status_code, status, rng + " status")
        eq(r.content, body, rng + " body")
        eq(r.headers.get("Content-Range"), content_range, rng + " Content-Range")


@test
def range_table_standard_behaviour(env):
    b, key = setup(env)
    cases = [("bytes=0-499", 206, BODY[:500]), ("bytes=-500", 206, BODY[500:]), ("bytes=500-", 206, BODY[500:]),
             ("bytes=500-2000", 206, BODY[500:])]
    for rng, status, body in cases:
        r = get(env, key, rng, standard=True)
        eq(r.status_code, status, rng + " status")
        eq(r.content, body, rng + " body")
    for rng in ["bytes=1000-2000", "bytes=0-1,5-6", "bytes=abc"]:
        r = get(env, key, rng, standard=True)
        eq(r.status_code, 416, rng + " status")
        check(b"<Code>InvalidRange</Code>" in r.content, rng + " InvalidRange")


@test
def oss2_byte_range_and_crc_header_is_whole_object(env):
    b, key = setup(env)
    r = b.get_object(key, byte_range=(100, 199))
    eq(r.read(), BODY[100:200], "oss2 range")
    whole = b.head_object(key).headers["x-oss-hash-crc64ecma"]
    eq(r.headers["x-oss-hash-crc64ecma"], whole, "CRC header is the whole object's even for a range")


@test
def conditional_requests(env):
    b, key = setup(env)
    h = b.head_object(key)
    etag = '"%s"' % h.etag
    lm = h.headers["Last-Modified"]
    eq(b.get_object(key, headers={"If-Match": etag}).read(), BODY, "If-Match hit")
    expect_error(lambda: b.get_object(key, headers={"If-Match": '"0000"'}), 412, "PreconditionFailed")
    expect_error(lambda: b.get_object(key, headers={"If-None-Match": etag}), 304)
    eq(b.get_object(key, headers={"If-None-Match": '"0000"'}).read(), BODY, "If-None-Match miss")
    expect_error(lambda: b.get_object(key, headers={"If-Modified-Since": lm}), 304)
    past = oss2.utils.http_date(int(time.time()) - 3600)
    eq(b.get_object(key, headers={"If-Modified-Since": past}).read(), BODY, "modified since an hour ago")
    expect_error(lambda: b.get_object(key, headers={"If-Unmodified-Since": past}), 412, "PreconditionFailed")
    eq(b.get_object(key, headers={"If-Unmodified-Since": lm}).read(), BODY, "unmodified since its own mtime")
    eq(b.get_object(key, headers={"If-Modified-Since": "not a date"}).read(), BODY, "invalid date ignored")
    r = raw(env, "GET", key, headers={"If-None-Match": etag})
    eq(r.status_code, 304, "raw 304")
    eq(r.content, b"", "304 has no body")
    expect_error(lambda: b.head_object(key, headers={"If-Match": '"0000"'}), 412)


@test
def head_and_get_headers(env):
    b, p = env.bucket(), unique("rng")
    b.put_object(p + "h", b"hello", headers={"Content-Type": "text/plain", "Cache-Control": "no-cache",
                                             "Content-Disposition": "inline", "Content-Encoding": "identity",
                                             "Expires": "Thu, 01 Dec 2094 16:00:00 GMT", "x-oss-meta-Mixed-Case": "v"})
    h = b.head_object(p + "h")
    eq(h.headers["Content-Type"], "text/plain", "Content-Type")
    eq(h.headers["Cache-Control"], "no-cache", "Cache-Control")
    eq(h.headers["Content-Disposition"], "inline", "Content-Disposition")
    eq(h.headers["Content-Encoding"], "identity", "Content-Encoding")
    eq(h.headers["Expires"], "Thu, 01 Dec 2094 16:00:00 GMT", "Expires")
    eq(h.headers["x-oss-meta-mixed-case"], "v", "meta name lower-cased")
    eq(h.headers["ETag"], '"5D41402ABC4B2A76B9719D911017C592"', "quoted upper-case MD5 ETag")
    eq(h.headers["x-oss-object-type"], "Normal", "type")
    eq(h.headers["x-oss-hash-crc64ecma"], "11177612005948864433", "CRC-64")
    eq(h.headers["Content-MD5"], "XUFAKrxLKna5cZ2REBfFkg==", "Content-MD5")
    eq(h.headers["Accept-Ranges"], "bytes", "Accept-Ranges")
    eq(h.headers["x-oss-storage-class"], "Standard", "storage class")
    m = b.get_object_meta(p + "h")
    eq(m.content_length, 5, "GetObjectMeta length")
    r = b.get_object(p + "h", params={"response-content-type": "application/x-test"})
    eq(r.headers["Content-Type"], "application/x-test", "response-content-type override")
