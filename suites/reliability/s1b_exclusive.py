"""Scenario 1b: exclusive creates under faults. `ln -s`, `mkdir` and `open(O_CREAT|O_EXCL)` + write +
close are the writes a client may not blindly repeat (x-oss-forbid-overwrite: a repeat of an attempt
that did land answers 409). When the server drops the connection after such a request, the client
must still find out whether it landed instead of failing the application call. Run at a fault rate
high enough (0.15) that dropped answers reliably occur among a few hundred calls; every call must
succeed and leave exactly what was written.

The rate is 0.15, not higher: the mount's client gives up after 7 attempts (6 retries), so a call
fails by design once 7 faults in a row hit one request (0.15^7, about 2e-6 per request, well under
one in a hundred runs of this scenario); at 0.3 that happens in about every other run, which would
measure the retry budget instead of the lost-answer handling."""
import errno, os, random

from harness import Mount, Server, fault_count, md5

CALLS = 300


def run(ctx, fig):
    rng = random.Random(ctx.seed + 11)
    calls = CALLS * (4 if ctx.heavy else 1)
    # Mount while the server is healthy (the mount command's own start-up probe is not what is
    # measured here), then bring the server back with faults on the same port and root.
    server = Server(ctx, "s1b-exclusive").start()
    mount = Mount(ctx, server, "s1b-exclusive", "attr_timeout=5").start()
    server.stop()
    server.start(extra=["--fault-rate", "0.15"])
    m = mount.path
    failures = {}
    bodies, links = {}, []
    for i in range(calls):
        body = rng.randbytes(rng.randrange(0, 8192))
        for what in ("symlink", "exclusive create", "mkdir"):
            try:
                if what == "symlink":
                    os.symlink(f"target-{i}", f"{m}/link-{i}")
                    links.append(f"link-{i}")
                elif what == "mkdir":
                    os.mkdir(f"{m}/dir-{i}")
                else:
                    fd = os.open(f"{m}/file-{i}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                    try:
                        os.write(fd, body)
                    finally:
                        os.close(fd)
                    bodies[f"file-{i}"] = body
                fig.add("ops")
            except OSError as e:
                fig.add("ops")
                failures.setdefault(what, []).append(errno.errorcode.get(e.errno, str(e.errno)))
    for what, errs in sorted(failures.items()):
        fig.fail(f"{len(errs)} of {calls} {what} calls failed under faults ({', '.join(sorted(set(errs)))}): "
                 f"a request whose answer was lost is not reconciled")
        fig.add("failed", len(errs) - 1)   # one failure per failed call
    faults, _ = fault_count(server.stats())
    fig.add("faults", faults)
    mount.unmount()
    server.stop()
    server.start(extra=[])   # verify without faults
    for key, body in bodies.items():
        status, got = server.oss.request("GET", key)
        if fig.check(status == 200 and md5(got) == md5(body), f"{key} not stored as written (GET {status})"):
            fig.add("bytes", len(got))
    for key in links:
        status, _ = server.oss.request("GET", key, "symlink")
        fig.check(status == 200, f"{key} is not a symlink on the server (GetSymlink {status})")
    server.stop()
