"""Minimal test harness for the conformance scripts: registration, assertions, summary.

Every test is a plain function decorated with @test; it receives the shared Env and raises
AssertionError (via check/expect_error) on failure. run() executes them all and returns the number
of failures.
"""
import os
import sys
import time
import traceback
import uuid

import oss2
import alibabacloud_oss_v2 as oss

TESTS = []


def test(fn):
    """Registers a test function."""
    TESTS.append(fn)
    return fn


class Env:
    """Connection facts handed to every test (from the environment run.sh sets)."""

    def __init__(self):
        self.endpoint = os.environ["OSS_TEST_ENDPOINT"]          # http://127.0.0.1:PORT
        self.port = int(self.endpoint.rsplit(":", 1)[1])
        self.ak = os.environ["OSS_TEST_AK"]
        self.sk = os.environ["OSS_TEST_SK"]
        self.sts_token = os.environ.get("OSS_TEST_STS_TOKEN")
        self.bucket_name = os.environ.get("OSS_TEST_BUCKET", "conf")
        self.region = "cn-hangzhou"

    def bucket(self, v4=False, name=None, auth=None):
        """An oss2 Bucket (V1 by default, V4 with v4=True)."""
        if auth is None:
            auth = oss2.AuthV4(self.ak, self.sk) if v4 else oss2.Auth(self.ak, self.sk)
        return oss2.Bucket(auth, self.endpoint, name or self.bucket_name, region=self.region)

    def anonymous(self, name=None):
        return oss2.Bucket(oss2.AnonymousAuth(), self.endpoint, name or self.bucket_name)

    def service(self):
        return oss2.Service(oss2.Auth(self.ak, self.sk), self.endpoint)

    def v2(self, signature_version=None):
        """An alibabacloud-oss-v2 Client (V4 unless signature_version='v1')."""
        cfg = oss.config.load_default()
        cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(self.ak, self.sk)
        cfg.region = self.region
        cfg.endpoint = self.endpoint
        cfg.use_path_style = True
        if signature_version:
            cfg.signature_version = signature_version
        return oss.Client(cfg)


def unique(prefix="t"):
    """A fresh key prefix so tests never see each other's objects."""
    return "%s-%s/" % (prefix, uuid.uuid4().hex[:10])


def check(condition, message="check failed"):
    if not condition:
        raise AssertionError(message)


def eq(actual, expected, what="value"):
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def expect_error(fn, status, code=None):
    """Runs fn and requires an oss2 OssError or a v2 OperationError with this status/code."""
    try:
        fn()
    except oss2.exceptions.OssError as e:
        eq(e.status, status, "HTTP status")
        if code is not None:
            eq(e.code, code, "error code")
        return e
    except oss.exceptions.OperationError as e:
        inner = e.unwrap()
        got_status = getattr(inner, "status_code", None)
        got_code = getattr(inner, "code", None)
        eq(got_status, status, "HTTP status")
        if code is not None:
            eq(got_code, code, "error code")
        return inner
    raise AssertionError("expected HTTP %s %s, but the call succeeded" % (status, code or ""))


def run(env, selected=None):
    """Runs every registered test; prints one line per test and a summary; returns failures."""
    failures = 0
    start = time.time()
    for fn in TESTS:
        name = "%s.%s" % (fn.__module__, fn.__name__)
        if selected and not any(s in name for s in selected):
            continue
        try:
            fn(env)
            print("PASS %s" % name)
        except Exception as e:  # noqa: BLE001 - report every kind of failure
            failures += 1
            print("FAIL %s: %s" % (name, e))
            traceback.print_exc(limit=3, file=sys.stdout)
    total = len([f for f in TESTS if not selected or any(s in "%s.%s" % (f.__module__, f.__name__) for s in selected)])
    print("conformance: %d passed, %d failed, %d total (%.1f s)" % (total - failures, failures, total, time.time() - start))
    return failures


def raw(env, method, key, params=None, headers=None, data=b"", bucket=None, query=None, host=None):
    """Sends a V1-signed request with `requests`, for shapes the SDKs never produce.

    params: the sub-resources that are signed (dict); query: the literal query string to send
    (defaults to params joined as k or k=v); host: a Host header (virtual-hosted tests).
    """
    import requests
    from urllib.parse import quote
    bucket = bucket or env.bucket_name
    params = params or {}
    path = "/%s/%s" % (bucket, quote(key or "", safe="/")) if host is None else "/" + quote(key or "", safe="/")
    url = env.endpoint + path
    req = oss2.http.Request(method, url, params=params, headers=dict(headers or {}))
    oss2.Auth(env.ak, env.sk)._sign_request(req, bucket, key or "")
    if query is None:
        query = "&".join(k if v == "" else "%s=%s" % (k, quote(str(v), safe="")) for k, v in params.items())
    send_headers = {k: v for k, v in req.headers.items()}
    if host is not None:
        send_headers["Host"] = host
    return requests.request(method, url + ("?" + query if query else ""), headers=send_headers, data=data)


def etag_of(result):
    """The unquoted ETag header of any oss2 result."""
    return (result.headers.get("ETag") or "").strip('"')


def mtime_of(result):
    """Last-Modified of any oss2 result, as Unix seconds."""
    return oss2.utils.http_to_unixtime(result.headers["Last-Modified"])
