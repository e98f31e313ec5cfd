"""Sends one hostile request and judges the answer against the acceptable outcomes. Every request
counts as a hostile request tried; a wrong answer is a failure naming the case, what was sent and
what came back."""
import base64, hashlib, random, urllib.parse

import rawhttp
import signing
from harness import BUCKET, KEY_ID, SECRET

CLOSE = "close"


def err(status, *codes):
    """An acceptable error answer: `status` with one of `codes` (any code when none given)."""
    return ("http", status, set(codes))


def ok(status=200):
    return ("http", status, None)


def any_4xx():
    """Unparseable HTTP: a 4xx answer of any kind (the connection may close after it)."""
    return ("4xx",)


def pred(desc, fn):
    """An acceptable answer decided by `fn(answer)`, described as `desc` in failures."""
    return ("pred", fn, desc)


UNPARSEABLE = [CLOSE, any_4xx(), ("http", 501, None), ("http", 505, None)]


def md5_b64(body):
    return base64.b64encode(hashlib.md5(body).digest()).decode()


class Probe:
    def __init__(self, fig, server, rng):
        self.fig, self.server, self.rng = fig, server, rng
        self.log = []

    @property
    def port(self):
        return self.server.port

    # --- sending -----------------------------------------------------------------------------
    def raw(self, name, data, expect, half_close=False, head=False, timeout=20, setup=False):
        """Sends bytes and judges the answer; `setup` marks a well-formed request that prepares or
        checks a case (counted as an operation, not as a hostile request)."""
        answer = rawhttp.exchange(self.port, data, timeout=timeout, half_close=half_close, head=head)
        self.judge(name, answer, expect, data[:200], setup)
        return answer

    def request(self, verb, key="", query=(), headers=None, body=b"", auth="v1", bucket=BUCKET,
                key_id=KEY_ID, secret=SECRET, path=None, extra_query="", content_length=True):
        """Builds the bytes of a request. `auth`: "v1", "v4", "none", or a function(headers) that
        edits the signed headers (to break them after signing)."""
        h = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        if verb in ("PUT", "POST") or body:
            if content_length:
                h["Content-Length"] = str(len(body))
        h.update(headers or {})
        if "Date" not in h and auth != "none-nodate":
            h["Date"] = signing.http_date()
        signed_query = list(query)
        if auth in ("v1",) or callable(auth):
            h["Authorization"] = signing.v1_authorization(key_id, secret, verb, bucket, key, signed_query,
                                                         {k: v for k, v in h.items() if isinstance(v, str)})
            if callable(auth):
                auth(h)
        elif auth == "v4":
            h = signing.v4_sign_headers(key_id, secret, self.server.region, verb, bucket, key, signed_query, h)
        if path is None:
            path = f"/{bucket}/{signing.quote_key(key)}" if bucket else "/"
        qs = "&".join(k if v == "" else f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                      for k, v in query)
        if extra_query:
            qs = f"{qs}&{extra_query}" if qs else extra_query
        if qs:
            path += "?" + qs
        return rawhttp.build(verb, path, h, body)

    def send(self, name, verb, key="", expect=(), head=False, setup=False, **kw):
        data = self.request(verb, key, **kw)
        return self.raw(name, data, expect, head=(verb == "HEAD") or head, setup=setup)

    # --- judging -------------------------------------------------------------------------------
    def judge(self, name, answer, expect, sent, setup=False):
        if not setup:
            self.fig.add("hostile")
        good = any(self._matches(answer, e) for e in expect)
        self.log.append((name, repr(answer), good))
        if not good:
            self.fig.fail(f"hostile[{name}]: got {answer!r}; expected {self.describe(expect)}; "
                          f"sent {sent!r}")
        else:
            self.fig.add("ops")
        return good

    @staticmethod
    def _matches(answer, e):
        if e == CLOSE:
            return answer.kind == rawhttp.CLOSED
        if e[0] == "4xx":
            return answer.kind == "http" and 400 <= answer.status < 500
        if e[0] == "pred":
            return answer.kind == "http" and bool(e[1](answer))
        _, status, codes = e
        if answer.kind != "http" or answer.status != status:
            return False
        return codes is None or answer.code in codes

    @staticmethod
    def describe(expect):
        parts = []
        for e in expect:
            if e == CLOSE:
                parts.append("close")
            elif e[0] == "4xx":
                parts.append("any 4xx")
            elif e[0] == "pred":
                parts.append(e[2])
            else:
                parts.append(f"{e[1]} {'|'.join(sorted(e[2])) if e[2] else '*'}")
        return " or ".join(parts)

    # --- helpers for cases ---------------------------------------------------------------------
    def key(self, stem="k"):
        return f"zzhostile-{stem}-{self.rng.randrange(1 << 30):08x}"

    def garbage(self, n):
        return bytes(self.rng.randrange(256) for _ in range(n))

    def put_ok(self, key, body):
        """A well-formed PutObject that must succeed (setup for a case)."""
        a = rawhttp.exchange(self.port, self.request("PUT", key, body=body))
        if a.kind != "http" or a.status != 200:
            self.fig.fail(f"setup PUT {key!r} failed: {a!r}")
        return a

    def get_body(self, key):
        a = rawhttp.exchange(self.port, self.request("GET", key))
        return a.body if a.kind == "http" and a.status == 200 else None

    def head_code(self, key):
        a = rawhttp.exchange(self.port, self.request("HEAD", key), head=True)
        return a


def new_rng(seed):
    return random.Random(seed)
