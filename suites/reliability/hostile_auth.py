"""Hostile authentication: missing, forged and malformed signatures, wrong access keys, skewed and
missing dates, expired or tampered presigned URLs (V1 and V4). Expected codes from
oss-protocol.md 2.14 and 3.x; where the document marks a code UNCONFIRMED, the set holds the
defensible alternatives."""
import base64, time

import signing
from rawhttp import build
from harness import BUCKET, KEY_ID, SECRET
from probe import err, ok

DENIED = err(403, "AccessDenied")
BADSIG = err(403, "SignatureDoesNotMatch")
BADKEY = err(403, "InvalidAccessKeyId")
SKEW = err(403, "RequestTimeTooSkewed")
MALFORMED_AUTH = [err(400, "InvalidArgument"), err(403, "AccessDenied"), err(403, "InvalidAccessKeyId"),
                  err(403, "SignatureDoesNotMatch")]


def run(p, reps):
    obj = p.key("auth")
    p.put_ok(obj, b"secret body")
    ops = [("GET", obj, ()), ("HEAD", obj, ()), ("PUT", p.key("auth-new"), ()), ("DELETE", obj, ()),
           ("GET", "", ()), ("GET", obj, (("acl", ""),)), ("GET", obj, (("symlink", ""),))]
    for i in range(reps):
        verb, key, q = ops[i % len(ops)]
        body = b"x" * p.rng.randrange(0, 64) if verb == "PUT" else b""
        p.send(f"anonymous {verb}", verb, key, [DENIED], query=q, body=body, auth="none")
        p.send(f"forged V1 signature {verb}", verb, key, [BADSIG], query=q, body=body,
               auth=lambda h: h.__setitem__("Authorization", f"OSS {KEY_ID}:" + base64.b64encode(
                   p.garbage(20)).decode()))
        p.send(f"wrong secret {verb}", verb, key, [BADSIG], query=q, body=body, secret=SECRET + "x")
        p.send(f"unknown access key {verb}", verb, key, [BADKEY], query=q, body=body,
               key_id=f"nokey{p.rng.randrange(1000)}")
        p.send(f"malformed Authorization {verb}", verb, key, MALFORMED_AUTH, query=q, body=body,
               auth=lambda h: h.__setitem__("Authorization", p.rng.choice(
                   ["OSS", "OSS ", "OSS :", f"OSS {KEY_ID}", f"OSS {KEY_ID}:", "Basic dXNlcjpwYXNz",
                    "OSS4-HMAC-SHA256", "OSS4-HMAC-SHA256 Credential=", "OSS2 AccessKeyId:x,Signature:y",
                    "OSS4-HMAC-SHA256 Credential=a/b/c,Signature=zz", f"OSS :{'A' * 28}",
                    "OSS " + base64.b64encode(p.garbage(40)).decode()])))
        skew = p.rng.choice([-86400 * 365 * 30, -86400, -3600, -16 * 60 - 30, 16 * 60 + 30, 3600, 86400 * 365])
        p.send(f"skewed Date {skew}s {verb}", verb, key, [SKEW], query=q, body=body,
               headers={"Date": signing.http_date(time.time() + skew)})
        # The date line is what is signed: a missing or unreadable date is refused (AccessDenied in 2.14).
        bad_date = p.rng.choice(["", "yesterday", "Mon, 99 Foo 2020 99:99:99 GMT", "0", "2024-01-01T00:00:00Z"])
        p.send(f"bad Date {bad_date!r} {verb}", verb, key, [DENIED, err(403, "RequestTimeTooSkewed"),
                                                          err(400, "InvalidArgument")],
               query=q, body=body, headers={"Date": bad_date})
    presigned(p, obj, reps)
    v4(p, obj, reps)
    # Query signature and Authorization header together: 400 InvalidArgument (3.2).
    for _ in range(max(2, reps // 3)):
        qs = signing.v1_presign_query(KEY_ID, SECRET, "GET", BUCKET, obj, int(time.time()) + 600)
        p.send("query signature plus Authorization", "GET", obj, [err(400, "InvalidArgument")], extra_query=qs)


def presigned(p, obj, reps):
    now = int(time.time())
    for i in range(reps):
        exp = now - p.rng.choice([1, 60, 3600, 86400 * 400])
        qs = signing.v1_presign_query(KEY_ID, SECRET, "GET", BUCKET, obj, exp)
        p.send("expired V1 presigned URL", "GET", obj, [DENIED], auth="none", extra_query=qs)
        good = signing.v1_presign_query(KEY_ID, SECRET, "GET", BUCKET, obj, now + 600)
        other = p.key("presign-other")
        p.send("V1 presigned URL for another key", "GET", other, [BADSIG], auth="none", extra_query=good)
        p.send("V1 presigned URL used for PUT", "PUT", obj, [BADSIG], auth="none", extra_query=good,
               body=b"overwrite attempt")
        parts = good.split("&")
        p.send("V1 presigned URL missing a part", "GET", obj, [DENIED], auth="none",
               extra_query="&".join(parts[:i % 3] + parts[i % 3 + 1:]))
        if i % 2 == 0:
            p.send("V1 presigned URL, Expires not a number", "GET", obj, [DENIED, err(400, "InvalidArgument")],
                   auth="none", extra_query=good.replace(f"Expires={now + 600}", "Expires=soon"))
    if p.get_body(obj) != b"secret body":
        p.fig.fail("presigned PUT attempt changed the object")


def v4(p, obj, reps):
    region = p.server.region
    # A valid V4 request first: the mutations below are judged against a server that speaks V4.
    a = p.send("valid V4 GET (control)", "GET", obj, [ok(200)], auth="v4", setup=True)
    now = int(time.time())
    for i in range(reps):
        when = now - p.rng.choice([120, 3600, 86400])
        qs = signing.v4_presign_query(KEY_ID, SECRET, region, "GET", BUCKET, obj, 60, when=when)
        p.send("expired V4 presigned URL", "GET", obj, [DENIED], auth="none", extra_query=qs)
        good = signing.v4_presign_query(KEY_ID, SECRET, region, "GET", BUCKET, obj, 600)
        p.send("V4 presigned URL for another key", "GET", p.key("v4-other"), [BADSIG], auth="none",
               extra_query=good)
        sig = good.rsplit("x-oss-signature=", 1)[1]
        forged = good.replace(sig, "".join(p.rng.choice("0123456789abcdef") for _ in range(64)))
        p.send("forged V4 presigned signature", "GET", obj, [BADSIG], auth="none", extra_query=forged)
        if i % 2 == 0:
            long = signing.v4_presign_query(KEY_ID, SECRET, region, "GET", BUCKET, obj, 604801)
            p.send("V4 presigned x-oss-expires over 7 days", "GET", obj,
                   [err(400, "InvalidArgument"), DENIED], auth="none", extra_query=long)

        data = p.request("GET", obj, auth="v4")
        p.raw("forged V4 header signature", data.replace(data.split(b"Signature=")[1][:64], b"0" * 64), [BADSIG])
        p.send("V4 unknown access key", "GET", obj, [BADKEY], auth="v4", key_id="nokey-v4")
        p.send("V4 wrong secret", "GET", obj, [BADSIG], auth="v4", secret="wrong")
        stale = signing.v4_sign_headers(KEY_ID, SECRET, region, "GET", BUCKET, obj,
                                        headers={"Host": f"127.0.0.1:{p.port}", "Connection": "close"},
                                        when=now - 3600)
        p.raw("V4 x-oss-date an hour old", build("GET", f"/{BUCKET}/{obj}", stale), [SKEW])
    return a
