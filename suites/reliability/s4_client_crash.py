"""Scenario 4: ossfuse SIGKILLed while a large file that overwrites an existing object is being
written, once while the data is still being written and once while close() uploads it. The
previous version must stay intact on the server, `fusermount3 -u` must clear the dead mount, and
a new mount must work."""
import json, os, random, subprocess, sys, threading, time

from harness import HERE, Mount, Server, fsop, md5, wait_until

KEY = "crash/big.bin"


def upload_calls(stats):
    """Requests that carry data to the server, whatever the stats names look like."""
    total = 0
    for k, v in stats.items():
        if isinstance(v, (int, float)) and any(w in k.lower() for w in ("uploadpart", "putobject", "put_object",
                                                                         "upload_part", "initiatemultipart")):
            total += int(v)
    return total


def start_writer(path, mib, seed):
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "fsop.py"), "writer", path, str(mib), str(seed)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    progress = {"mib": 0, "closing": False}

    def follow():
        for line in p.stderr:
            if line.startswith("wrote "):
                progress["mib"] = int(line.split()[1])
            elif line.startswith("closing"):
                progress["closing"] = True
    threading.Thread(target=follow, daemon=True).start()
    return p, progress


def one_kill(ctx, fig, server, old, phase, mib, rng):
    seed = rng.randrange(1 << 30)
    mount = Mount(ctx, server, f"s4-{phase}", "attr_timeout=5").start()
    target = os.path.join(mount.path, KEY)
    before = upload_calls(server.stats())
    writer, progress = start_writer(target, mib, seed)
    ctx.processes.append(writer)
    if phase == "writing":
        reached = wait_until(lambda: progress["mib"] >= mib // 4 or writer.poll() is not None, 300, 0.01)
    else:
        # close() uploads what is left (the server's --latency keeps that going for a while):
        # kill once the upload has visibly started.
        reached = wait_until(lambda: progress["closing"] or writer.poll() is not None, 600, 0.005)
        calls = before + 3   # InitiateMultipartUpload and two parts under way
        reached = reached and wait_until(lambda: upload_calls(server.stats()) >= calls or writer.poll() is not None,
                                         60, 0.005)
    finished = writer.poll() is not None
    uploads = upload_calls(server.stats()) - before
    mount.kill()
    expected = old
    if finished:
        out = writer.stdout.read().strip()
        fig.note(f"{phase}: the writer finished before the kill: {out}")
        result = json.loads(out.splitlines()[-1]) if out else {}
        if result.get("ok"):   # close() succeeded: the new version is the one to find
            expected = None
            new_md5 = result["result"]["md5"]
    fig.check(reached, f"{phase}: the kill point was never reached (progress {progress})")
    fig.add("faults")
    fig.add("ops")
    try:
        writer.wait(timeout=120)
    except subprocess.TimeoutExpired:
        writer.kill(); writer.wait()
        fig.fail(f"{phase}: the writer hung after ossfuse was killed")
    if not finished:
        out = writer.stdout.read().strip()
        fig.note(f"{phase}: the writer saw {out.splitlines()[-1] if out else 'nothing'}")
    fig.add("expected_err")
    fig.note(f"{phase}: killed after {progress['mib']} MiB written, closing={progress['closing']}, "
             f"{uploads} upload requests sent")
    time.sleep(0.5)   # let any request the dead client had sent complete on the server
    status, body = server.oss.request("GET", KEY)
    if expected is None:
        fig.check(status == 200 and md5(body) == new_md5, f"{phase}: the completed write is not on the server")
        old = body
    else:
        fig.check(status == 200 and md5(body) == md5(old),
                  f"{phase}: previous version of {KEY} not intact after the kill (GET {status}, {len(body)} bytes)")
    fig.add("bytes", len(body))
    code, err = mount.unmount()
    fig.check(code == 0, f"{phase}: fusermount3 -u of the dead mount failed: {err}")
    fig.check(not os.path.ismount(mount.path), f"{phase}: still mounted after fusermount3 -u")
    again = Mount(ctx, server, f"s4-{phase}", "attr_timeout=5").start()
    r = fsop("read", os.path.join(again.path, KEY))
    if fig.check(r["ok"] and r["result"]["md5"] == md5(old), f"{phase}: new mount reads {KEY} wrongly: {r}"):
        fig.add("bytes", len(old))
    w = fsop("write", os.path.join(again.path, f"crash/after-{phase}.bin"), 1 << 20, seed)
    if fig.check(w["ok"], f"{phase}: write through the new mount failed: {w}"):
        status, body = server.oss.request("GET", f"crash/after-{phase}.bin")
        fig.check(status == 200 and md5(body) == w["result"]["md5"], f"{phase}: write after remount not stored")
        fig.add("bytes", len(body))
    again.unmount()
    return old


def run(ctx, fig):
    rng = random.Random(ctx.seed + 4)
    mib = 256 if ctx.heavy else 64
    server = Server(ctx, "s4-client-crash", ["--latency", "20"]).start()
    old = rng.randbytes(8 << 20)
    server.oss.put(KEY, old)
    for phase in ("writing", "uploading"):
        old = one_kill(ctx, fig, server, old, phase, mib, rng)
    server.stop()
    code, out = server.check_index()
    fig.check(code == 0, f"ossfuse-server --check failed afterwards (exit {code}): {out[-500:]}")
