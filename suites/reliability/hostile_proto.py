"""Hostile HTTP: garbage request lines, NUL bytes, huge and numerous headers, bad Content-Length,
bodies shorter than announced, broken chunked encoding. Unparseable HTTP may be answered with a
4xx or a closed connection; what was announced but never fully sent must never become visible."""
from harness import BUCKET
from probe import CLOSE, UNPARSEABLE, err


def run(p, reps):
    host = f"Host: 127.0.0.1:{p.port}\r\n".encode()
    garbage_lines = [
        b"\r\n\r\n", b"GET\r\n\r\n", b"GET /\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"HELLO\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\n\r\n", b" / HTTP/1.1\r\n\r\n", b"GET  HTTP/1.1\r\n\r\n",
        b"G\x00T / HTTP/1.1\r\n\r\n", b"GET /\x00 HTTP/1.1\r\n" + host + b"\r\n",
        b"GET / HTTP/1.1\r\n" + host + b"Bad Header Without Colon\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + host + b": novalue\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + host + b"X-A: \x00\x01\x02\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,   # a TLS ClientHello
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",                                 # HTTP/2 preface
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + host + b"Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
        b"GET / HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    ]
    for i in range(reps):
        for j, line in enumerate(garbage_lines):
            if (i + j) % 2 == 0 or i < 2:
                p.raw(f"garbage request #{j}", line, UNPARSEABLE + [err(400, "InvalidArgument"),
                                                                   err(403, "AccessDenied"),
                                                                   err(405, "MethodNotAllowed")],
                      half_close=True)
        p.raw("random bytes", p.garbage(p.rng.randrange(1, 4096)) + b"\r\n\r\n", UNPARSEABLE + [
            err(405, "MethodNotAllowed")], half_close=True)
        key = p.key("proto")
        big = b"v" * p.rng.choice([70 * 1024, 200 * 1024, 1 << 20])
        p.raw("huge header value", b"PUT /" + BUCKET.encode() + b"/" + key.encode() + b" HTTP/1.1\r\n" + host
              + b"Content-Length: 1\r\nX-Oss-Meta-Big: " + big + b"\r\n\r\nx", UNPARSEABLE)
        many = b"".join(b"X-Junk-%d: %d\r\n" % (n, n) for n in range(p.rng.choice([2000, 10000])))
        p.raw("thousands of headers", b"GET /" + BUCKET.encode() + b"/ HTTP/1.1\r\n" + host + many + b"\r\n",
              UNPARSEABLE + [err(403, "AccessDenied")])
        p.send("PUT without Content-Length", "PUT", p.key("nolen"), [err(411, "MissingContentLength")] +
               [CLOSE], content_length=False)
        for bad in [b"-1", b"abc", b"99999999999999999999999", b"1e3", b" "]:
            if p.rng.random() < 0.5:
                data = (b"PUT /" + BUCKET.encode() + b"/" + key.encode() + b" HTTP/1.1\r\n" + host
                        + b"Content-Length: " + bad + b"\r\n\r\nabc")
                p.raw(f"Content-Length {bad!r}", data, UNPARSEABLE, half_close=True)
        truncated(p)
        chunked(p)


def truncated(p):
    """A PUT announcing more bytes than it sends, then vanishing: never a visible object, and an
    existing object under the key keeps its old bytes."""
    key = p.key("trunc")
    fresh = p.rng.random() < 0.5
    if not fresh:
        p.put_ok(key, b"previous version")
    size = p.rng.choice([1000, 65536, 1 << 20, 5 << 20])
    sent = p.garbage(p.rng.randrange(0, min(size, 4096)))
    data = p.request("PUT", key, body=sent)
    data = data.replace(f"Content-Length: {len(sent)}".encode(), f"Content-Length: {size}".encode(), 1)
    p.raw(f"body truncated at {len(sent)} of {size}", data,
          [CLOSE, err(400, "RequestTimeout", "IncompleteBody", "InvalidArgument")], half_close=True)
    after = p.head_code(key)
    if fresh:
        if not (after.kind == "http" and after.status == 404):
            p.fig.fail(f"truncated PUT of {key} left a visible object: HEAD answered {after!r}")
    elif p.get_body(key) != b"previous version":
        p.fig.fail(f"truncated PUT of {key} damaged the previous version")
    p.fig.add("ops")


def chunked(p):
    key = p.key("chunk")
    head = p.request("PUT", key, headers={"Transfer-Encoding": "chunked"}, body=b"", content_length=False)
    bodies = [b"zz\r\nabc\r\n0\r\n\r\n", b"5\r\nab", b"ffffffffffffffffff\r\n", b"3\r\nabcdef\r\n0\r\n\r\n"]
    body = p.rng.choice(bodies)
    p.raw("malformed chunked body", head + body, UNPARSEABLE + [err(400, "RequestTimeout", "InvalidArgument",
                                                                      "IncompleteBody")], half_close=True)
    after = p.head_code(key)
    if not (after.kind == "http" and after.status == 404):
        p.fig.fail(f"malformed chunked PUT of {key} left a visible object: HEAD answered {after!r}")
    p.fig.add("ops")

