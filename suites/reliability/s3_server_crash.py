"""Scenario 3: ossfuse-server SIGKILLed during 50 concurrent uploads. After a restart on the same
root every acknowledged upload is present and intact, no visible object is half-written (each
matches the one body sent for its key), and `ossfuse-server --check` finds the index and the data
files consistent."""
import http.client, random, signal, threading, time, urllib.parse
import xml.etree.ElementTree as ET

import signing
from harness import BUCKET, KEY_ID, SECRET, Server, md5

UPLOADS = 50


def put(port, key, body, result):
    """One PutObject on its own connection, no retry: `result[key]` = HTTP status or the error."""
    h = {"Date": signing.http_date(), "Content-Type": "application/octet-stream",
         "Content-Length": str(len(body))}
    h["Authorization"] = signing.v1_authorization(KEY_ID, SECRET, "PUT", BUCKET, key, (), h)
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        c.request("PUT", f"/{BUCKET}/{urllib.parse.quote(key)}", body=body, headers=h)
        r = c.getresponse()
        r.read()
        result[key] = r.status
        c.close()
    except (OSError, http.client.HTTPException) as e:
        result[key] = repr(e)


def list_all(server, prefix):
    """Every (key, size) under `prefix`, following V1 markers."""
    out, marker = {}, ""
    while True:
        q = f"prefix={urllib.parse.quote(prefix)}&max-keys=1000" + (f"&marker={urllib.parse.quote(marker)}" if marker else "")
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        h = {"Date": signing.http_date()}
        h["Authorization"] = signing.v1_authorization(KEY_ID, SECRET, "GET", BUCKET, "", (), h)
        c.request("GET", f"/{BUCKET}/?{q}", headers=h)
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"ListObjects answered {r.status}: {body[:300]!r}")
        doc = ET.fromstring(body)
        ns = doc.tag.split("}")[0] + "}" if doc.tag.startswith("{") else ""
        for c in doc.findall(f"{ns}Contents"):
            out[c.find(f"{ns}Key").text] = int(c.find(f"{ns}Size").text)
        if doc.findtext(f"{ns}IsTruncated") != "true":
            return out
        marker = doc.findtext(f"{ns}NextMarker") or max(out)


def one_round(fig, server, rng, n, sent, acked):
    prefix = f"crash/round-{n}/"
    bodies = {f"{prefix}obj-{i:02d}": rng.randbytes(rng.randrange(0, 4 << 20)) for i in range(UPLOADS)}
    sent.update(bodies)
    result = {}
    threads = [threading.Thread(target=put, args=(server.port, k, b, result)) for k, b in bodies.items()]
    for t in threads:
        t.start()
    threshold = rng.randrange(3, UPLOADS // 2)
    deadline = time.monotonic() + 300
    while sum(1 for v in list(result.values()) if v == 200) < threshold and time.monotonic() < deadline \
            and len(result) < UPLOADS:
        time.sleep(0.005)
    in_flight = UPLOADS - len(result)
    server.stop(signal.SIGKILL)
    for t in threads:
        t.join(180)
    ok = [k for k, v in result.items() if v == 200]
    acked.update(ok)
    fig.add("ops", UPLOADS)
    fig.add("expected_err", UPLOADS - len(ok))
    fig.add("faults")
    fig.note(f"round {n}: killed with {len(ok)} acknowledged, {in_flight} in flight")
    if in_flight == 0:
        fig.note(f"round {n}: every upload finished before the kill (nothing was in flight)")


def verify(fig, server, sent, acked):
    visible = list_all(server, "crash/")
    for key in sorted(acked):
        status, body = server.oss.request("GET", key)
        if fig.check(status == 200 and md5(body) == md5(sent[key]),
                     f"acknowledged upload {key} lost or damaged after the crash (GET {status}, "
                     f"{len(body)} of {len(sent[key])} bytes)"):
            fig.add("bytes", len(body))
    for key, size in sorted(visible.items()):
        if key not in sent:
            fig.fail(f"unknown object {key} visible after the crash")
            continue
        fig.check(size == len(sent[key]), f"half-written object visible: {key} lists {size} of {len(sent[key])} bytes")
        if key not in acked:
            status, body = server.oss.request("GET", key)
            if fig.check(status == 200 and md5(body) == md5(sent[key]),
                         f"unacknowledged but visible {key} does not match its body (GET {status}, {len(body)} bytes)"):
                fig.add("bytes", len(body))
    missing = sorted(acked - set(visible))
    fig.check(not missing, f"acknowledged uploads missing from the listing: {missing[:5]}")


def run(ctx, fig):
    rng = random.Random(ctx.seed + 3)
    rounds = 6 if ctx.heavy else 2
    server = Server(ctx, "s3-crash").start()
    sent, acked = {}, set()
    for n in range(rounds):
        one_round(fig, server, rng, n, sent, acked)
        server.start()
        verify(fig, server, sent, acked)
    server.oss.put("crash/after-restart", b"still works")
    status, body = server.oss.request("GET", "crash/after-restart")
    fig.check(status == 200 and body == b"still works", "the restarted server does not store new objects")
    server.stop()
    code, out = server.check_index()
    fig.check(code == 0, f"ossfuse-server --check failed after the crashes (exit {code}): {out[-800:]}")
    fig.note(f"--check: {out.splitlines()[-1] if out else '(no output)'}")
