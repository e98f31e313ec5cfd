"""Scenario 2: the server goes away. Reads of uncached data and writes through the mount must fail
with EIO (each call bounded by a timeout; the time it took is reported, not asserted), the mount
must stay up, and once the server is back on the same port and root, the mount works again by
itself."""
import errno, json, os, random, subprocess, sys, time

from harness import HERE, CheckFailed, Mount, Server, fsop, md5, wait_until

CALL_TIMEOUT = 120


def expect_eio(fig, what, res):
    fig.add("expected_err")
    ok = (not res["ok"]) and res.get("errno") == errno.EIO
    fig.check(ok, f"{what} with the server down: expected EIO, got {res.get('error') or 'success'}"
                  f" after {res['seconds']} s")
    fig.note(f"{what}: {res.get('error') or 'success'} after {res['seconds']} s")


def hold_write(path, size):
    """A writer that has opened and written `path` and waits to close it (see fsop write-hold)."""
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "fsop.py"), "write-hold", path, str(size), "5"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    if "written" not in line:
        p.kill()
        raise CheckFailed(f"write before the outage failed: {p.stdout.read()} {line}")
    return p


def release(p):
    """Lets a held writer close; its JSON answer, bounded by CALL_TIMEOUT."""
    t = time.monotonic()
    try:
        out, _ = p.communicate("go\n", timeout=CALL_TIMEOUT)
        return json.loads(out.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()
        return {"ok": False, "errno": None, "error": "timeout", "seconds": round(time.monotonic() - t, 3)}


def run(ctx, fig):
    rng = random.Random(ctx.seed + 2)
    server = Server(ctx, "s2-down").start()
    bodies = {f"down/file-{n}.bin": rng.randbytes(rng.choice([1000, 300 << 10, 3 << 20])) for n in range(6)}
    for k, b in bodies.items():
        server.oss.put(k, b)
    server.oss.put("down/sub/inner.txt", b"inner")
    mount = Mount(ctx, server, "s2-down", "attr_timeout=1,negative_timeout=1").start()
    mnt = mount.path
    warm = fsop("read", f"{mnt}/down/file-0.bin")
    fig.check(warm["ok"] and warm["result"]["md5"] == md5(bodies["down/file-0.bin"]), f"warm read failed: {warm}")
    looked = fsop("stat", f"{mnt}/down/file-1.bin")       # known to the kernel, data never read
    fig.check(looked["ok"], f"stat before the outage failed: {looked}")

    held = hold_write(f"{mnt}/down/held.bin", 3 << 20)
    server.stop()
    fig.add("faults")
    print("  server stopped", flush=True)
    expect_eio(fig, "close() of a file written before the outage", release(held))
    expect_eio(fig, "read of a never-looked-up file", fsop("read", f"{mnt}/down/file-2.bin", timeout=CALL_TIMEOUT))
    expect_eio(fig, "read of a stat'ed but unread file", fsop("read", f"{mnt}/down/file-1.bin", timeout=CALL_TIMEOUT))
    expect_eio(fig, "listing of an unlisted directory", fsop("listdir", f"{mnt}/down/sub", timeout=CALL_TIMEOUT))
    expect_eio(fig, "write of a new 100 KiB file", fsop("write", f"{mnt}/down/new.bin", 100 << 10, 7,
                                                       timeout=CALL_TIMEOUT))
    expect_eio(fig, "overwrite of an existing 1 MiB file",
               fsop("write", f"{mnt}/down/file-3.bin", 1 << 20, 8, timeout=CALL_TIMEOUT))
    if mount.crashed():
        fig.add("crashes")
        fig.fail(f"ossfuse exited while the server was down (exit {mount.proc.returncode})")
        return
    fig.check(os.path.ismount(mnt), "the mount disappeared while the server was down")

    server.start()   # same port, same root
    print(f"  server restarted on port {server.port}", flush=True)
    last = {}

    def recovered():
        last["r"] = fsop("read", f"{mnt}/down/file-2.bin", timeout=CALL_TIMEOUT)
        return last["r"]["ok"] and last["r"]["result"]["md5"] == md5(bodies["down/file-2.bin"])
    back = wait_until(recovered, 120, step=1)
    fig.check(back, f"the mount did not recover after the restart: {last.get('r')}")
    if not back:
        return
    fig.add("bytes", len(bodies["down/file-2.bin"]))
    for k in ("down/file-1.bin", "down/file-3.bin", "down/file-4.bin"):
        r = fsop("read", f"{mnt}/{k}", timeout=CALL_TIMEOUT)
        if fig.check(r["ok"] and r["result"]["md5"] == md5(bodies[k]),
                     f"after recovery {k} does not read back its original bytes: {r}"):
            fig.add("bytes", len(bodies[k]))
    w = fsop("write", f"{mnt}/down/after.bin", 2 << 20, 9, timeout=CALL_TIMEOUT)
    if fig.check(w["ok"], f"write after recovery failed: {w}"):
        status, body = server.oss.request("GET", "down/after.bin")
        fig.check(status == 200 and md5(body) == w["result"]["md5"], "write after recovery not stored intact")
        fig.add("bytes", len(body))
    status, body = server.oss.request("GET", "down/held.bin")
    fig.check(status == 404 or len(body) == 0, f"the upload whose close() failed left {len(body)} bytes behind")
    status, _ = server.oss.request("HEAD", "down/new.bin")
    fig.check(status == 404, f"the write that failed with EIO left an object behind (HEAD {status})")
    r = fsop("listdir", f"{mnt}/down/sub", timeout=CALL_TIMEOUT)
    fig.check(r["ok"] and r["result"] == ["inner.txt"], f"listing after recovery: {r}")
    mount.unmount()
    server.stop()
