"""Signatures: V1 and V4 headers (both SDKs), presigned URLs of both versions, STS tokens,
addressing styles, and the signature-related errors."""
import time

import oss2
import requests
import alibabacloud_oss_v2 as oss

from harness import test, unique, check, eq, expect_error, raw


@test
def v1_header_round_trip_oss2(env):
    b, p = env.bucket(), unique("sig")
    b.put_object(p + "k e+y/ü", b"v1")
    eq(b.get_object(p + "k e+y/ü").read(), b"v1", "V1 GET")


@test
def v4_header_round_trip_oss2(env):
    b, p = env.bucket(v4=True), unique("sig")
    b.put_object(p + "k e+y/ü", b"v4", headers={"x-oss-meta-a": "1"})
    eq(b.get_object(p + "k e+y/ü").read(), b"v4", "V4 GET")
    eq([o.key for o in oss2.ObjectIteratorV2(b, prefix=p)], [p + "k e+y/ü"], "V4 list")


@test
def v4_header_round_trip_v2_sdk(env):
    c, p = env.v2(), unique("sig")
    c.put_object(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "a b+c~!.txt", body=b"v2-v4"))
    eq(c.get_object(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "a b+c~!.txt")).body.read(), b"v2-v4", "GET")
    r = c.list_objects_v2(oss.ListObjectsV2Request(bucket=env.bucket_name, prefix=p))
    eq([o.key for o in r.contents], [p + "a b+c~!.txt"], "list")


@test
def v1_header_round_trip_v2_sdk(env):
    c, p = env.v2(signature_version="v1"), unique("sig")
    c.put_object(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "x", body=b"v2-v1"))
    eq(c.get_object(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "x")).body.read(), b"v2-v1", "GET")


@test
def v4_any_region_in_scope_is_accepted(env):
    b, p = env.bucket(), unique("sig")
    b.put_object(p + "x", b"r")
    other = oss2.Bucket(oss2.AuthV4(env.ak, env.sk), env.endpoint, env.bucket_name, region="eu-central-1")
    eq(other.get_object(p + "x").read(), b"r", "region eu-central-1")


@test
def presigned_v1_get_and_put(env):
    b, p = env.bucket(), unique("sig")
    put_url = b.sign_url("PUT", p + "pre sign", 300)
    eq(requests.put(put_url, data=b"via url").status_code, 200, "presigned PUT")
    get_url = b.sign_url("GET", p + "pre sign", 300)
    eq(requests.get(get_url).content, b"via url", "presigned GET")
    expired = b.sign_url("GET", p + "pre sign", -10)
    r = requests.get(expired)
    eq(r.status_code, 403, "expired")
    check(b"<Code>AccessDenied</Code>" in r.content, "AccessDenied for expired URL")
    tampered = get_url.replace("Signature=", "Signature=AA")
    r = requests.get(tampered)
    eq(r.status_code, 403, "tampered")
    check(b"SignatureDoesNotMatch" in r.content, "SignatureDoesNotMatch for tampered URL")


@test
def presigned_v4_get_and_put(env):
    c, p = env.v2(), unique("sig")
    put = c.presign(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "v4 pre"))
    eq(requests.put(put.url, data=b"v4 url", headers=put.signed_headers).status_code, 200, "presigned PUT")
    get = c.presign(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "v4 pre"))
    eq(requests.get(get.url).content, b"v4 url", "presigned GET")
    b = env.bucket(v4=True)
    url = b.sign_url("GET", p + "v4 pre", 300)
    check("x-oss-signature-version=OSS4-HMAC-SHA256" in url, "oss2 V4 presign")
    eq(requests.get(url).content, b"v4 url", "oss2 V4 presigned GET")
    r = requests.get(url.replace("x-oss-signature=", "x-oss-signature=00"))
    eq(r.status_code, 403, "tampered V4")
    check(b"<CanonicalRequest>" in r.content, "V4 mismatch echoes CanonicalRequest")


@test
def presigned_v4_expired(env):
    c, p = env.v2(), unique("sig")
    c.put_object(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "x", body=b"x"))
    import datetime
    pre = c.presign(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "x"), expires=datetime.timedelta(seconds=1))
    time.sleep(2.2)
    r = requests.get(pre.url)
    eq(r.status_code, 403, "expired V4 URL")
    check(b"<Code>AccessDenied</Code>" in r.content, "AccessDenied")


@test
def wrong_secret_signature_does_not_match_with_string_to_sign(env):
    p = unique("sig")
    bad = oss2.Bucket(oss2.Auth(env.ak, "wrong-secret"), env.endpoint, env.bucket_name)
    e = expect_error(lambda: bad.put_object(p + "x", b"x"), 403, "SignatureDoesNotMatch")
    check(e.details.get("StringToSign", "").startswith("PUT\n"), "StringToSign echoed")
    check(e.details.get("StringToSign", "").endswith("/%s/%sx" % (env.bucket_name, p)), "canonical resource")
    bad4 = oss2.Bucket(oss2.AuthV4(env.ak, "wrong-secret"), env.endpoint, env.bucket_name, region="cn-hangzhou")
    e = expect_error(lambda: bad4.get_object(p + "x"), 403, "SignatureDoesNotMatch")
    check(e.details.get("CanonicalRequest", "").startswith("GET\n/%s/" % env.bucket_name), "CanonicalRequest echoed")


@test
def unknown_access_key_id(env):
    b = oss2.Bucket(oss2.Auth("LTAInobody", env.sk), env.endpoint, env.bucket_name)
    expect_error(lambda: b.get_object("x"), 403, "InvalidAccessKeyId")


@test
def clock_skew_over_15_minutes(env):
    p = unique("sig")
    import base64, hashlib, hmac
    old = oss2.utils.http_date(int(time.time()) - 16 * 60)
    string_to_sign = "GET\n\n\n%s\n/%s/%sx" % (old, env.bucket_name, p)
    signature = base64.b64encode(hmac.new(env.sk.encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()
    headers = {"Date": old, "Authorization": "OSS %s:%s" % (env.ak, signature)}
    r = requests.get(env.endpoint + "/%s/%sx" % (env.bucket_name, p), headers=headers)
    eq(r.status_code, 403, "status")
    check(b"<Code>RequestTimeTooSkewed</Code>" in r.content, "RequestTimeTooSkewed")


@test
def sts_token_accepted_and_wrong_token_rejected(env):
    check(env.sts_token, "run.sh configures --sts-token")
    p = unique("sig")
    sts = oss2.Bucket(oss2.StsAuth(env.ak, env.sk, env.sts_token), env.endpoint, env.bucket_name)
    sts.put_object(p + "sts", b"token")
    eq(sts.get_object(p + "sts").read(), b"token", "STS V1")
    sts4 = oss2.Bucket(oss2.StsAuth(env.ak, env.sk, env.sts_token, auth_version="v4"), env.endpoint,
                       env.bucket_name, region="cn-hangzhou")
    eq(sts4.get_object(p + "sts").read(), b"token", "STS V4")
    eq(requests.get(sts.sign_url("GET", p + "sts", 60)).content, b"token", "STS presigned V1")
    wrong = oss2.Bucket(oss2.StsAuth(env.ak, env.sk, "not-the-token"), env.endpoint, env.bucket_name)
    expect_error(lambda: wrong.get_object(p + "sts"), 403, "InvalidSecurityToken")


@test
def authorization_header_and_query_signature_mixed(env):
    b, p = env.bucket(), unique("sig")
    b.put_object(p + "x", b"x")
    url = b.sign_url("GET", p + "x", 60)
    r = requests.get(url, headers={"Authorization": "OSS %s:abc" % env.ak})
    eq(r.status_code, 400, "mixed signatures")
    check(b"InvalidArgument" in r.content, "InvalidArgument")


@test
def virtual_hosted_addressing(env):
    b, p = env.bucket(), unique("sig")
    b.put_object(p + "vh", b"virtual")
    for host in ["%s.localhost:%d" % (env.bucket_name, env.port), "%s.127.0.0.1.nip.io:%d" % (env.bucket_name, env.port)]:
        r = raw(env, "GET", p + "vh", host=host)
        eq(r.status_code, 200, "GET via Host %s" % host)
        eq(r.content, b"virtual", "body via Host %s" % host)
    r = raw(env, "GET", "", host="%s.localhost:%d" % (env.bucket_name, env.port), query="prefix=" + p)
    eq(r.status_code, 200, "bucket listing via virtual host")
    check(("<Key>%svh</Key>" % p).encode() in r.content, "listing content")


@test
def anonymous_request_has_common_headers(env):
    r = requests.get(env.endpoint + "/%s/nothing" % env.bucket_name)
    eq(r.status_code, 403, "private bucket")
    eq(r.headers.get("Server"), "AliyunOSS", "Server header")
    check(r.headers.get("Date"), "Date header")
    rid = r.headers.get("x-oss-request-id", "")
    eq(len(rid), 24, "request id length")
    check(all(ch in "0123456789ABCDEF" for ch in rid), "request id is upper-case hex")
    check(("<RequestId>%s</RequestId>" % rid).encode() in r.content, "RequestId in body")
