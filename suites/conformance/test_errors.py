"""Error answers exactly as OSS shapes them (oss-protocol.md 2.14), malformed input, limits,
DeleteObject / DeleteMultipleObjects (2.7) and PutObject integrity (2.3, 2.4)."""
import base64
import hashlib
import socket

import oss2
import requests

from harness import test, unique, check, eq, expect_error, raw


@test
def error_document_fields(env):
    b, p = env.bucket(), unique("err")
    e = expect_error(lambda: b.get_object(p + "missing"), 404, "NoSuchKey")
    eq(e.details.get("Key"), p + "missing", "Key extra")
    eq(e.details.get("EC"), "0026-00000001", "EC")
    check(e.details.get("HostId"), "HostId")
    eq(len(e.request_id), 24, "RequestId")
    e = expect_error(lambda: env.bucket(name="no-such-bucket-xyz").get_object("x"), 404, "NoSuchBucket")
    eq(e.details.get("BucketName"), "no-such-bucket-xyz", "BucketName extra")


@test
def head_errors_have_no_body_but_x_oss_err(env):
    p = unique("err")
    r = raw(env, "HEAD", p + "missing")
    eq(r.status_code, 404, "status")
    eq(r.content, b"", "no body")
    xml = base64.b64decode(r.headers["x-oss-err"])
    check(b"<Code>NoSuchKey</Code>" in xml, "x-oss-err decodes to NoSuchKey")
    eq(r.headers.get("x-oss-ec"), "0026-00000001", "x-oss-ec")
    e = expect_error(lambda: env.bucket().head_object(p + "missing"), 404)
    check(e.code in ("NoSuchKey", ""), "oss2 HEAD error code")


@test
def put_object_content_md5(env):
    b, p = env.bucket(), unique("err")
    good = base64.b64encode(hashlib.md5(b"0123456789").digest()).decode()
    eq(good, "eB5eJF1ptWaXm4bijSPyxw==", "test vector")
    r = b.put_object(p + "ok", b"0123456789", headers={"Content-MD5": good})
    eq(r.headers.get("Content-MD5"), good, "Content-MD5 answered")
    expect_error(lambda: b.put_object(p + "bad", b"0123456789", headers={"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}),
                 400, "InvalidDigest")
    expect_error(lambda: b.get_object(p + "bad"), 404, "NoSuchKey")
    expect_error(lambda: b.put_object(p + "bad2", b"x", headers={"Content-MD5": "not base64"}), 400, "InvalidDigest")


@test
def forbid_overwrite_put_object(env):
    b, p = env.bucket(), unique("err")
    b.put_object(p + "k", b"1", headers={"x-oss-forbid-overwrite": "true"})
    expect_error(lambda: b.put_object(p + "k", b"2", headers={"x-oss-forbid-overwrite": "true"}), 409, "FileAlreadyExists")
    eq(b.get_object(p + "k").read(), b"1", "kept")


@test
def invalid_object_names(env):
    b = env.bucket()
    expect_error(lambda: b.put_object("x" * 1024, b"x"), 400, "InvalidObjectName")
    b.put_object("y" * 1023, b"ok")
    r = raw(env, "PUT", "", query=None, bucket=env.bucket_name + "/%2Fleading", data=b"x")
    check(r.status_code in (400, 403), "leading slash rejected (%d)" % r.status_code)
    s = send_raw(env, ("GET /%s/bad%%ZZescape HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % env.bucket_name).encode())
    answer = s.recv(65536)
    s.close()
    check(answer.startswith(b"HTTP/1.1 400"), "undecodable path: %r" % answer[:40])
    check(b"InvalidObjectName" in answer, "InvalidObjectName")


@test
def user_metadata_limits(env):
    b, p = env.bucket(), unique("err")
    b.put_object(p + "ok", b"x", headers={"x-oss-meta-" + "a" * 10: "v" * 8000})
    expect_error(lambda: b.put_object(p + "big", b"x", headers={"x-oss-meta-big": "v" * 8193}), 400, "InvalidArgument")
    expect_error(lambda: b.put_object(p + "name", b"x", headers={"x-oss-meta-bad_name": "v"}), 400, "InvalidArgument")


@test
def delete_object_is_always_204(env):
    b, p = env.bucket(), unique("err")
    eq(b.delete_object(p + "never-existed").status, 204, "absent key")
    b.put_object(p + "k", b"x")
    eq(b.delete_object(p + "k").status, 204, "existing key")
    expect_error(lambda: b.get_object(p + "k"), 404, "NoSuchKey")


@test
def delete_multiple_objects(env):
    b, p = env.bucket(), unique("err")
    keys = [p + "a", p + "b c", p + "amp&lt"]
    for k in keys:
        b.put_object(k, b"x")
    r = b.batch_delete_objects(keys + [p + "absent"])
    eq(sorted(r.deleted_keys), sorted(keys + [p + "absent"]), "all reported deleted (url-decoded by oss2)")
    eq(list(oss2.ObjectIterator(b, prefix=p)), [], "gone")
    b.put_object(p + "q", b"x")
    body = "<Delete><Quiet>true</Quiet><Object><Key>%sq</Key></Object></Delete>" % p
    md5 = base64.b64encode(hashlib.md5(body.encode()).digest()).decode()
    r = raw(env, "POST", "", params={"delete": ""}, headers={"Content-MD5": md5, "Content-Type": "application/xml"},
            data=body.encode())
    eq(r.status_code, 200, "quiet delete")
    check(b"<Deleted>" not in r.content, "quiet lists nothing")
    bad = b"<Delete><Object><Key>x</Key>"
    r = raw(env, "POST", "", params={"delete": ""}, headers={"Content-MD5": base64.b64encode(hashlib.md5(bad).digest()).decode()},
            data=bad)
    check(b"<Code>MalformedXML</Code>" in r.content, "MalformedXML")
    r = raw(env, "POST", "", params={"delete": ""}, headers={"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}, data=body.encode())
    check(b"<Code>InvalidDigest</Code>" in r.content, "InvalidDigest")
    too_many = "<Delete>" + "".join("<Object><Key>k%d</Key></Object>" % i for i in range(1001)) + "</Delete>"
    r = raw(env, "POST", "", params={"delete": ""}, data=too_many.encode())
    eq(r.status_code, 400, "more than 1000 keys")


def send_raw(env, data):
    s = socket.create_connection(("127.0.0.1", env.port), timeout=10)
    s.sendall(data)
    return s


@test
def body_shorter_than_content_length_leaves_no_object(env):
    b, p = env.bucket(), unique("err")
    key = p + "short"
    req = oss2.http.Request("PUT", env.endpoint + "/%s/%s" % (env.bucket_name, key), headers={"Content-Type": "text/plain"})
    oss2.Auth(env.ak, env.sk)._sign_request(req, env.bucket_name, key)
    head = "PUT /%s/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 100\r\n" % (env.bucket_name, key, env.port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in req.headers.items()) + "\r\n"
    s = send_raw(env, head.encode() + b"only ten b")
    s.close()
    import time
    time.sleep(0.5)
    expect_error(lambda: b.get_object(key), 404, "NoSuchKey")


@test
def missing_content_length_is_411(env):
    p = unique("err")
    req = oss2.http.Request("PUT", env.endpoint + "/x", headers={"Content-Type": "text/plain"})
    oss2.Auth(env.ak, env.sk)._sign_request(req, env.bucket_name, p + "k")
    head = "PUT /%s/%sk HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (env.bucket_name, p, env.port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in req.headers.items()) + "\r\n"
    s = send_raw(env, head.encode())
    answer = s.recv(65536)
    s.close()
    check(answer.startswith(b"HTTP/1.1 411"), "411: %r" % answer[:40])
    check(b"MissingContentLength" in answer, "MissingContentLength")


@test
def malformed_requests_never_break_the_server(env):
    for junk in [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                 b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"\x00\x01\x02\r\n\r\n"]:
        s = send_raw(env, junk)
        try:
            s.recv(1024)
        except OSError:
            pass
        s.close()
    r = requests.get(env.endpoint + "/%s/x" % env.bucket_name, headers={"Authorization": "OSS4-HMAC-SHA256 nonsense"})
    eq(r.status_code, 400, "malformed Authorization")
    check(b"InvalidArgument" in r.content, "InvalidArgument")
    r = requests.get(env.endpoint + "/%s/x" % env.bucket_name, headers={"Authorization": "Bearer abc"})
    eq(r.status_code, 400, "unknown scheme")
    b, p = env.bucket(), unique("err")
    b.put_object(p + "alive", b"still serving")
    eq(b.get_object(p + "alive").read(), b"still serving", "server still answers")


@test
def unsupported_operation(env):
    r = raw(env, "POST", "some-key")
    check(r.status_code in (400, 405, 501), "POST object without sub-resource: %d" % r.status_code)
    check(b"<Error>" in r.content, "an OSS error document")


@test
def expect_100_continue(env):
    p = unique("err")
    key = p + "expect"
    req = oss2.http.Request("PUT", env.endpoint + "/x", headers={"Content-Type": "text/plain"})
    oss2.Auth(env.ak, env.sk)._sign_request(req, env.bucket_name, key)
    head = "PUT /%s/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 5\r\nExpect: 100-continue\r\n" % (
        env.bucket_name, key, env.port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in req.headers.items()) + "\r\n"
    s = send_raw(env, head.encode())
    interim = s.recv(65536)
    check(interim.startswith(b"HTTP/1.1 100"), "100 Continue first: %r" % interim[:40])
    s.sendall(b"hello")
    final = s.recv(65536)
    s.close()
    check(final.startswith(b"HTTP/1.1 200"), "then 200: %r" % final[:40])
    eq(env.bucket().get_object(key).read(), b"hello", "stored")
    s = send_raw(env, ("PUT /%s/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n" % (env.bucket_name, key)).encode())
    denied = s.recv(65536)
    s.close()
    check(denied.startswith(b"HTTP/1.1 403"), "unsigned: final answer at once, no 100: %r" % denied[:40])


@test
def stalled_body_is_request_timeout_and_stores_nothing(env):
    """run.sh starts the server with --body-timeout 3."""
    b, p = env.bucket(), unique("err")
    key = p + "stalled"
    req = oss2.http.Request("PUT", env.endpoint + "/x", headers={"Content-Type": "text/plain"})
    oss2.Auth(env.ak, env.sk)._sign_request(req, env.bucket_name, key)
    head = "PUT /%s/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 100\r\n" % (env.bucket_name, key, env.port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in req.headers.items()) + "\r\n"
    s = send_raw(env, head.encode() + b"only ten b")
    s.settimeout(15)
    answer = s.recv(65536)
    s.close()
    check(answer.startswith(b"HTTP/1.1 400"), "400: %r" % answer[:40])
    check(b"<Code>RequestTimeout</Code>" in answer, "RequestTimeout")
    expect_error(lambda: b.get_object(key), 404, "NoSuchKey")
