"""OSS request signing (V1 header, V1 presigned URL, V4 header, V4 presigned URL) on the standard
library, written from /work/shared/oss-protocol.md section 3 and independent of the code under
test, so hostile-input tests can build valid requests and then break exactly one thing."""
import base64, email.utils, hashlib, hmac, time, urllib.parse

V1_SUBRESOURCES = {
    "acl", "append", "bucketInfo", "callback", "callback-var", "continuation-token", "delete", "location",
    "objectMeta", "partNumber", "position", "regionList", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "restore", "security-token", "sequential", "stat",
    "symlink", "tagging", "uploadId", "uploads", "versionId", "versioning", "versions",
}
UNRESERVED = "-_.~"


def http_date(t=None):
    return email.utils.formatdate(t if t is not None else time.time(), usegmt=True)


def quote_key(key):
    """Percent-encodes a key for the URL path (all bytes but unreserved and '/')."""
    return urllib.parse.quote(key, safe="/" + UNRESERVED)


def v1_resource(bucket, key, query):
    """CanonicalizedResource: raw key, sub-resources sorted, decoded values."""
    res = f"/{bucket}/{key}" if bucket else "/"
    subs = sorted((k, v) for k, v in query if k in V1_SUBRESOURCES or k.startswith("x-oss-"))
    if subs:
        res += "?" + "&".join(k if v == "" else f"{k}={v}" for k, v in subs)
    return res


def v1_string_to_sign(verb, headers, resource, date_line=None):
    h = {k.lower(): v for k, v in headers.items()}
    oss = "".join(f"{k}:{v.strip()}\n" for k, v in sorted(h.items()) if k.startswith("x-oss-"))
    date = date_line if date_line is not None else h.get("x-oss-date", h.get("date", ""))
    return "\n".join([verb, h.get("content-md5", ""), h.get("content-type", ""), date, oss + resource])


def v1_signature(secret, sts):
    return base64.b64encode(hmac.new(secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()


def v1_authorization(key_id, secret, verb, bucket, key, query=(), headers=None):
    sts = v1_string_to_sign(verb, headers or {}, v1_resource(bucket, key, query))
    return f"OSS {key_id}:{v1_signature(secret, sts)}"


def v1_presign_query(key_id, secret, verb, bucket, key, expires, query=(), headers=None):
    """The query string (already encoded) of a V1 presigned URL valid until `expires` (unix s)."""
    sts = v1_string_to_sign(verb, headers or {}, v1_resource(bucket, key, query), date_line=str(expires))
    params = list(query) + [("OSSAccessKeyId", key_id), ("Expires", str(expires)),
                            ("Signature", v1_signature(secret, sts))]
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def _enc(s):
    return urllib.parse.quote(s, safe=UNRESERVED)


def _hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _v4_key(secret, day, region):
    k = _hmac256(("aliyun_v4" + secret).encode(), day)
    for part in (region, "oss", "aliyun_v4_request"):
        k = _hmac256(k, part)
    return k


def _v4_canonical(verb, bucket, key, query, headers, additional):
    uri = "/" + (f"{bucket}/" if bucket else "") + urllib.parse.quote(key, safe="/" + UNRESERVED)
    cq = "&".join(k if v == "" else f"{k}={v}" for k, v in sorted((_enc(k), _enc(v)) for k, v in query))
    h = {k.lower(): v.strip() for k, v in headers.items()}
    names = sorted(n for n in h if n.startswith("x-oss-") or n in ("content-type", "content-md5")
                   or n in additional)
    ch = "".join(f"{n}:{h[n]}\n" for n in names)
    payload = h.get("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
    return "\n".join([verb, uri, cq, ch, ";".join(sorted(additional)), payload])


def v4_sign_headers(key_id, secret, region, verb, bucket, key, query=(), headers=None, when=None):
    """Adds x-oss-date, x-oss-content-sha256 and Authorization (V4) to a copy of `headers`."""
    t = time.gmtime(when if when is not None else time.time())
    stamp = time.strftime("%Y%m%dT%H%M%SZ", t)
    day = stamp[:8]
    h = dict(headers or {})
    h["x-oss-date"] = stamp
    h.setdefault("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
    canonical = _v4_canonical(verb, bucket, key, query, h, [])
    scope = f"{day}/{region}/oss/aliyun_v4_request"
    sts = "\n".join(["OSS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    sig = hmac.new(_v4_key(secret, day, region), sts.encode(), hashlib.sha256).hexdigest()
    h["Authorization"] = f"OSS4-HMAC-SHA256 Credential={key_id}/{scope},Signature={sig}"
    return h


def v4_presign_query(key_id, secret, region, verb, bucket, key, expires_in, query=(), when=None, headers=None):
    """Encoded query string of a V4 presigned URL signed at `when` valid for `expires_in` seconds."""
    t = time.gmtime(when if when is not None else time.time())
    stamp = time.strftime("%Y%m%dT%H%M%SZ", t)
    day = stamp[:8]
    scope = f"{day}/{region}/oss/aliyun_v4_request"
    q = list(query) + [("x-oss-signature-version", "OSS4-HMAC-SHA256"), ("x-oss-date", stamp),
                       ("x-oss-expires", str(expires_in)), ("x-oss-credential", f"{key_id}/{scope}")]
    canonical = _v4_canonical(verb, bucket, key, q, headers or {}, [])
    sts = "\n".join(["OSS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    sig = hmac.new(_v4_key(secret, day, region), sts.encode(), hashlib.sha256).hexdigest()
    return "&".join(f"{_enc(k)}={_enc(v)}" for k, v in q + [("x-oss-signature", sig)])


def self_test():
    """The verified vectors of oss-protocol.md 3.3 A and 3.6: the signer under test must match."""
    h = {"Content-MD5": "eB5eJF1ptWaXm4bijSPyxw==", "Content-Type": "text/html",
         "x-oss-meta-author": "alice", "x-oss-meta-magic": "abracadabra",
         "x-oss-date": "Wed, 28 Dec 2022 10:27:41 GMT", "Date": "Wed, 28 Dec 2022 10:27:41 GMT"}
    assert v1_authorization("ak", "sk", "PUT", "examplebucket", "nelson", (), h) == \
        "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M="
    h4 = {"x-oss-head1": "value", "abc": "value", "ZAbc": "value", "XYZ": "value",
          "content-type": "text/plain", "x-oss-content-sha256": "UNSIGNED-PAYLOAD"}
    q = [("param1", "value1"), ("+param1", "value3"), ("|param1", "value4"), ("+param2", ""),
         ("|param2", ""), ("param2", "")]
    out = v4_sign_headers("ak", "sk", "cn-hangzhou", "PUT", "bucket", "1234+-/123/1.txt", q, h4, when=1702743657)
    assert out["Authorization"].endswith(
        "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"), out["Authorization"]
    hp = {"x-oss-head1": "value", "abc": "value", "ZAbc": "value", "XYZ": "value",
          "content-type": "application/octet-stream"}
    pq = v4_presign_query("ak", "sk", "cn-hangzhou", "PUT", "bucket", "1234+-/123/1.txt", 599, q,
                          when=1702781677, headers=hp)
    assert pq.endswith("x-oss-signature=a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"), pq


if __name__ == "__main__":
    self_test()
    print("signing vectors ok")
