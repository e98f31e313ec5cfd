"""Hostile object requests with valid signatures: wrong or malformed Content-MD5, oversized metadata,
invalid object names, traversal attempts in keys, symlink targets and copy sources, NUL bytes, bad
Ranges, bad listing parameters, unknown buckets. A refused write never changes what was there."""
import rawhttp
import signing
from harness import BUCKET
from probe import err, ok, pred, md5_b64

NAME = [err(400, "InvalidObjectName")]
NAME_OR_SIG = NAME + [err(400, "InvalidArgument"), err(403, "SignatureDoesNotMatch")]
TOO_BIG_META = [err(400, "InvalidArgument", "MetadataTooLarge", "EntityTooLarge")]


def no_leak(a):
    return b"root:" not in a.body and b"root:" not in str(a.headers).encode()


def run(p, reps):
    for i in range(reps):
        digests(p)
        metadata(p)
        names(p)
        traversal(p, i)
        links_and_copies(p)
        listing_and_buckets(p)


def digests(p):
    key = p.key("md5")
    old = p.garbage(100)
    p.put_ok(key, old)
    body = p.garbage(p.rng.randrange(1, 5000))
    p.send("wrong Content-MD5 (overwrite)", "PUT", key, [err(400, "InvalidDigest")], body=body,
           headers={"Content-MD5": md5_b64(body + b"!")})
    if p.get_body(key) != old:
        p.fig.fail(f"PUT with wrong Content-MD5 changed {key}")
    fresh = p.key("md5new")
    for bad in ["abc", "!!!!", md5_b64(b"x")[:-4], signing.base64.b64encode(b"0" * 15).decode()]:
        p.send(f"malformed Content-MD5 {bad!r}", "PUT", fresh, [err(400, "InvalidDigest", "InvalidArgument")],
               body=body, headers={"Content-MD5": bad})
    gone(p, fresh, "PUT with bad Content-MD5")


def metadata(p):
    key = p.key("meta")
    p.send("one 9 KiB metadata value", "PUT", key, TOO_BIG_META, body=b"m",
           headers={"x-oss-meta-big": "v" * 9000})
    many = {f"x-oss-meta-m{n}": "w" * 100 for n in range(100)}
    p.send("100 metadata headers of 100 bytes", "PUT", key, TOO_BIG_META, body=b"m", headers=many)
    gone(p, key, "PUT with oversized metadata")


def names(p):
    p.send("key of 1024 bytes", "PUT", "k" * 1024, NAME, body=b"n")
    p.send("key of 4000 bytes", "GET", "k" * 4000, NAME + [err(404, "NoSuchKey")])
    p.send("key starting with backslash", "PUT", "\\" + p.key("bs"), NAME, body=b"n")
    k = p.key("slash")
    p.send("key starting with slash", "PUT", "/" + k, NAME, body=b"n", path=f"/{BUCKET}//{k}")
    raw_key = b"\xff\xfe" + p.key("utf8").encode()
    data = p.request("PUT", raw_key.decode("latin-1"), body=b"n",
                     path=f"/{BUCKET}/%FF%FE{raw_key[2:].decode()}")
    p.raw("key not valid UTF-8", data, NAME_OR_SIG)
    nul = p.key("nul") + "\x00tail"
    a = p.send("NUL byte in key", "PUT", nul, [ok(200)] + NAME, body=b"nul body")
    if a.kind == "http" and a.status == 200:
        roundtrip(p, nul, b"nul body")


def traversal(p, i):
    marker = p.key("trav")
    body = b"traversal " + marker.encode()
    keys = [f"../{marker}", f"../../../../../../tmp/{marker}", f"a/../../{marker}", f"./{marker}",
            f"{marker}/../../..", f"..\\..\\{marker}", f"..", f".", f"x/./../{marker}"]
    key = keys[i % len(keys)]
    a = p.send(f"traversal key {key!r}", "PUT", key, [ok(200)] + NAME + [err(400, "InvalidArgument")], body=body)
    if a.kind == "http" and a.status == 200:
        roundtrip(p, key, body)
    enc = f"{marker}/%2F..%2F..%2F..%2Fetc%2Fpasswd"
    plain = f"{marker}//../../../etc/passwd"
    a = p.raw("percent-encoded traversal GET", p.request("GET", plain, path=f"/{BUCKET}/{enc}"),
              NAME + [err(404, "NoSuchKey")])
    for path in [f"/{BUCKET}/../../../../etc/passwd", "/../../../../etc/passwd", f"/{BUCKET}/%2E%2E/%2E%2E/etc/passwd",
                 f"/{BUCKET}/..%2F..%2F..%2Fetc%2Fpasswd", "/%2E%2E%2F%2E%2E%2Fetc/passwd"]:
        p.raw(f"raw traversal {path}", rawhttp.build("GET", path, {"Host": f"127.0.0.1:{p.port}",
                                                               "Connection": "close"}),
              [pred("a 4xx OSS error without file content",
                    lambda a: 400 <= a.status < 500 and a.code and no_leak(a))])
    # Virtual-hosted style with a traversal in the Host header's bucket part.
    p.raw("traversal in Host bucket", rawhttp.build("GET", "/passwd", {"Host": "..%2F..%2Fetc.127.0.0.1",
                                                                      "Connection": "close"}),
          [pred("a 4xx OSS error without file content", lambda a: 400 <= a.status < 500 and no_leak(a))])
    ranges(p)


def ranges(p):
    key = p.key("range")
    full = p.garbage(1000)
    p.put_ok(key, full)
    std = {"x-oss-range-behavior": "standard"}
    whole = pred("200 with the whole object", lambda a: a.status == 200 and a.body == full)

    def part(lo, hi):
        return pred(f"206 with bytes {lo}-{hi}", lambda a: a.status == 206 and a.body == full[lo:hi + 1])
    cases = [("bytes=1000-2000", std, [err(416, "InvalidRange")]),
             ("bytes=0-1,5-6", std, [err(416, "InvalidRange")]),
             ("bytes=500-2000", std, [part(500, 999)]),
             ("bytes=500-2000", {}, [whole]),
             ("bytes=1000-2000", {}, [whole]),
             ("bytes=0-499", {}, [part(0, 499)]),
             ("bytes=-500", {}, [part(500, 999)]),
             ("bytes=500-", std, [part(500, 999)])]
    for spec in ["bytes=abc", "bytes=5-1", "items=0-5", "bytes=--5", "bytes=", "bytes=0-1-2",
                 "bytes=99999999999999999999999-"]:
        cases.append((spec, {}, [whole]))
        cases.append((spec, std, [err(416, "InvalidRange"), whole]))
    for spec, extra, expect in p.rng.sample(cases, 10):
        p.send(f"Range {spec!r}{' standard' if extra else ''}", "GET", key, expect, headers=dict(extra, Range=spec))


def links_and_copies(p):
    link = p.key("link")
    p.send("PutSymlink without target", "PUT", link, [err(400, "InvalidArgument", "MissingArgument"),
                                                      err(411, "MissingArgument")], query=[("symlink", "")])
    gone(p, link, "PutSymlink without target")
    target = "../../../../etc/passwd"
    a = p.send("PutSymlink to a traversal target", "PUT", link, [ok(200)] + NAME + [err(400, "InvalidArgument")],
               query=[("symlink", "")], headers={"x-oss-symlink-target": signing.quote_key(target)})
    if a.kind == "http" and a.status == 200:
        p.send("GET through a link to a traversal target", "GET", link,
               [pred("404 SymlinkTargetNotExist without file content",
                     lambda a: a.status == 404 and a.code == "SymlinkTargetNotExist" and no_leak(a))])
    dest = p.key("copy")
    for src, expect in [(f"/{BUCKET}/../../../../etc/passwd", NAME + [err(404, "NoSuchKey"), err(400, "InvalidArgument")]),
                        (f"/{BUCKET}/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", NAME + [err(404, "NoSuchKey"),
                                                                           err(400, "InvalidArgument")]),
                        ("/no-such-bucket-zz/x", [err(404, "NoSuchBucket"), err(403, "AccessDenied")]),
                        ("garbage-without-slash", [err(400, "InvalidArgument")]),
                        (f"/{BUCKET}/", [err(400, "InvalidArgument", "InvalidObjectName"), err(404, "NoSuchKey")])]:
        p.send(f"CopyObject from {src!r}", "PUT", dest, expect, headers={"x-oss-copy-source": src},
               body=b"")
    gone(p, dest, "refused CopyObject")
    key = p.key("acl")
    p.send("invalid x-oss-object-acl on PUT", "PUT", key, [err(400, "InvalidArgument")], body=b"a",
           headers={"x-oss-object-acl": p.rng.choice(["public", "", "public-read;rm -rf /", "publicread"])})
    gone(p, key, "PUT with invalid ACL")


def listing_and_buckets(p):
    for mk in p.rng.sample(["0", "1001", "-1", "abc", "99999999999999999999"], 2):
        p.send(f"ListObjects max-keys={mk}", "GET", "", [err(400, "InvalidArgument")], query=[("max-keys", mk)])
    p.send("ListObjectsV2 prefix over 1023 bytes", "GET", "", [err(400, "InvalidArgument")],
           query=[("list-type", "2"), ("prefix", "p" * 1100)])
    p.send("unknown bucket", "GET", "x", [err(404, "NoSuchBucket")], bucket="zz-no-such-bucket")
    p.send("invalid bucket name", "GET", "x", [err(400, "InvalidBucketName"), err(404, "NoSuchBucket")],
           bucket="Bad_Bucket!")
    a = p.send("HEAD of a missing key", "HEAD", p.key("missing"), [err(404, "NoSuchKey")])
    if a.kind == "http" and a.body:
        p.fig.fail("HEAD error carried a body")


def roundtrip(p, key, body):
    """A key the server accepted must read back byte-identical."""
    got = p.get_body(key)
    p.fig.check(got == body, f"accepted key {key!r} did not read back (got {None if got is None else len(got)} bytes)")
    p.fig.add("bytes", len(body))


def gone(p, key, why):
    a = p.head_code(key)
    p.fig.check(a.kind == "http" and a.status == 404, f"{why}: {key} exists afterwards (HEAD {a!r})")
