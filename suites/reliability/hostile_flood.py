"""Hostile load: many clients sending garbage and valid requests at once, and many connections that
stall mid-request (slowloris). The server must answer every one (or close it), and keep serving
well-formed clients while the stalled connections are open."""
import socket
from concurrent.futures import ThreadPoolExecutor

import rawhttp
from probe import UNPARSEABLE, err, ok


def run(p, reps):
    concurrent(p, 16 * reps)
    stalled(p, 50 * reps)


def concurrent(p, count):
    key = p.key("flood")
    p.put_ok(key, b"flood body")
    host = f"Host: 127.0.0.1:{p.port}\r\n".encode()
    payloads = []
    for n in range(count):
        kind = n % 4
        if kind == 0:
            payloads.append(("garbage", p.garbage(p.rng.randrange(1, 2048)) + b"\r\n\r\n", UNPARSEABLE))
        elif kind == 1:
            payloads.append(("anonymous GET", rawhttp.build("GET", f"/relbucket/{key}", {
                "Host": f"127.0.0.1:{p.port}", "Connection": "close"}), [err(403, "AccessDenied")]))
        elif kind == 2:
            payloads.append(("signed GET", p.request("GET", key), [ok(200)]))
        else:
            payloads.append(("truncated header", b"GET /relbucket/ HTTP/1.1\r\n" + host + b"X-Partial: ", UNPARSEABLE))
    def one(item):
        name, data, expect = item
        # Garbage and partial requests end with a half-close (a client that gave up); complete
        # requests keep the connection open for their answer, as clients do.
        return name, data, expect, rawhttp.exchange(p.port, data, timeout=20, half_close="GET" not in name)
    with ThreadPoolExecutor(16) as pool:
        for name, data, expect, answer in pool.map(one, payloads):
            p.judge(f"concurrent {name}", answer, expect, data[:120])


def stalled(p, count):
    """Connections that send half a request line and wait: others must still be served."""
    conns = []
    try:
        for n in range(count):
            s = socket.create_connection(("127.0.0.1", p.port), timeout=10)
            s.sendall(b"GET /relbucket/stalled-" + str(n).encode() + b" HTT")
            conns.append(s)
        p.fig.add("hostile", count)
        healthy = p.server.health()
        p.fig.check(healthy, f"the server stopped serving while {count} connections stalled mid-request")
    finally:
        for s in conns:
            s.close()
