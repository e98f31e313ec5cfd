"""Scenario 6: bad input to the mount command and through the mount. Wrong credentials, an unknown
bucket, an unreachable endpoint, a missing mount point and a passwd file readable by others each
end the command non-zero with one clear line on stderr, before it daemonizes; names over 255
bytes give ENAMETOOLONG; the secret never appears in any output or log, even with -d and log_file=."""
import errno, os, signal, time

from harness import BUCKET, KEY_ID, SECRET, Mount, Server, free_port, fsop, is_mounted, run as sh, wait_until

MOUNT_TIMEOUT = 180


def daemon_pids(path):
    """Processes whose command line names `path` (the daemonized ossfuse of that mount)."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if path.encode() in f.read() and int(pid) != os.getpid():
                        out.append(int(pid))
            except OSError:
                pass
    return out


def mount_cmd(ctx, mnt, opts, bucket=BUCKET, extra=()):
    return [ctx.bin("ossfuse")] + list(extra) + [bucket, mnt, "-o", opts]


def refused(ctx, fig, what, cmd, env, mnt):
    code, secs, out = sh(cmd, timeout=MOUNT_TIMEOUT, env=env)
    lines = [l for l in out.splitlines() if l.strip()]
    fig.add("expected_err")
    fig.check(code not in (0, "timeout"), f"{what}: mount command exit {code}, expected a failure")
    fig.check(len(lines) == 1, f"{what}: expected one line of explanation, got {len(lines)}: {out[:400]!r}")
    fig.check(SECRET not in out, f"{what}: the secret appears in the command's output")
    if os.path.isdir(mnt):
        fig.check(not is_mounted(mnt), f"{what}: something is mounted at {mnt} anyway")
        if is_mounted(mnt):
            sh(["fusermount3", "-u", "-z", mnt])
    fig.note(f"{what}: exit {code} after {secs:.1f} s: {lines[0][:120] if lines else ''}")
    return out


def env_with(key_id=KEY_ID, secret=SECRET):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSS_")}
    if key_id is not None:
        env.update(OSS_ACCESS_KEY_ID=key_id, OSS_ACCESS_KEY_SECRET=secret)
    return env


def run(ctx, fig):
    server = Server(ctx, "s6-input").start()
    base = os.path.join(ctx.tmp, "s6-input")
    mnt = os.path.join(base, "mnt")
    os.makedirs(mnt, exist_ok=True)
    url = f"url={server.endpoint}"
    outputs = []
    outputs.append(refused(ctx, fig, "wrong credentials", mount_cmd(ctx, mnt, url), env_with(secret=SECRET[::-1]), mnt))
    outputs.append(refused(ctx, fig, "unknown access key", mount_cmd(ctx, mnt, url), env_with(key_id="nobody"), mnt))
    outputs.append(refused(ctx, fig, "unknown bucket", mount_cmd(ctx, mnt, url, bucket="no-such-bucket"), env_with(), mnt))
    outputs.append(refused(ctx, fig, "unreachable endpoint", mount_cmd(ctx, mnt, f"url=http://127.0.0.1:{free_port()}"),
                           env_with(), mnt))
    outputs.append(refused(ctx, fig, "missing mount point", mount_cmd(ctx, os.path.join(base, "nope", "mnt"), url),
                           env_with(), os.path.join(base, "nope", "mnt")))
    outputs.append(refused(ctx, fig, "no credentials at all", mount_cmd(ctx, mnt, url), env_with(key_id=None), mnt))
    pw = os.path.join(base, "passwd-ossfs")
    with open(pw, "w") as f:
        f.write(f"{BUCKET}:{KEY_ID}:{SECRET}\n")
    for mode in (0o644, 0o604, 0o640):
        os.chmod(pw, mode)
        outputs.append(refused(ctx, fig, f"passwd file mode {mode:o}", mount_cmd(ctx, mnt, f"{url},passwd_file={pw}"),
                               env_with(key_id=None), mnt))
    os.chmod(pw, 0o600)
    daemonized(ctx, fig, mnt, f"{url},passwd_file={pw}", env_with(key_id=None), "passwd file mode 600")
    daemonized(ctx, fig, mnt, url, env_with(), "credentials from the environment")
    long_names(ctx, fig, server)
    secrets_in_logs(ctx, fig, server, outputs)
    server.stop()


def daemonized(ctx, fig, mnt, opts, env, what):
    """Without -f the command returns 0 only once the mount is live."""
    code, secs, out = sh(mount_cmd(ctx, mnt, opts), timeout=MOUNT_TIMEOUT, env=env)
    live = is_mounted(mnt)
    fig.check(code == 0 and live, f"{what}: mount exit {code}, mounted={live}: {out[:300]}")
    fig.check(SECRET not in out, f"{what}: the secret appears in the mount command's output")
    if live:
        r = fsop("listdir", mnt)
        fig.check(r["ok"], f"{what}: listing the fresh mount failed: {r}")
        pids = daemon_pids(mnt)
        u = sh(["fusermount3", "-u", mnt], timeout=60)
        fig.check(u[0] == 0, f"{what}: fusermount3 -u failed: {u[2]}")
        gone = wait_until(lambda: not any(os.path.exists(f"/proc/{p}") for p in pids), 30)
        fig.check(gone, f"{what}: the ossfuse daemon did not exit after fusermount3 -u")
        for p in pids:
            if os.path.exists(f"/proc/{p}"):
                os.kill(p, signal.SIGKILL)


def long_names(ctx, fig, server):
    mount = Mount(ctx, server, "s6-names", "attr_timeout=1").start()
    m = mount.path
    for n in (256, 300, 1000):
        name = "n" * n
        for op, args in [("create", [f"{m}/{name}"]), ("mkdir", [f"{m}/{name}"]),
                         ("symlink", ["target", f"{m}/{name}"]), ("stat", [f"{m}/{name}"]),
                         ("write", [f"{m}/{name}", 10, 1])]:
            r = fsop(op, *args)
            fig.add("expected_err")
            fig.check(not r["ok"] and r["errno"] == errno.ENAMETOOLONG,
                      f"{op} of a {n}-byte name: expected ENAMETOOLONG, got {r.get('error') or 'success'}")
    ok = fsop("write", f"{m}/{'y' * 255}", 10, 2)
    fig.check(ok["ok"], f"a 255-byte name must work: {ok}")
    r = fsop("rename", f"{m}/{'y' * 255}", f"{m}/{'z' * 256}")
    fig.check(not r["ok"] and r["errno"] == errno.ENAMETOOLONG, f"rename to a 256-byte name: {r}")
    status, _ = server.oss.request("HEAD", "y" * 255)
    fig.check(status == 200, "the 255-byte file is not on the server")
    mount.unmount()


def secrets_in_logs(ctx, fig, server, outputs):
    log_file = os.path.join(ctx.tmp, "s6-input", "debug.log")
    mount = Mount(ctx, server, "s6-debug", f"attr_timeout=1,log_file={log_file}", debug=True).start()
    m = mount.path
    fsop("write", f"{m}/secret-probe.bin", 2 << 20, 3)
    fsop("read", f"{m}/secret-probe.bin")
    fsop("listdir", m)
    fsop("stat", f"{m}/does-not-exist")
    fsop("symlink", "secret-probe.bin", f"{m}/secret-link")
    mount.unmount()
    time.sleep(0.2)
    texts = {"command outputs": "\n".join(outputs)}
    server_logs = [os.path.join(ctx.tmp, "s6-input", n) for n in os.listdir(os.path.join(ctx.tmp, "s6-input"))
                   if n.startswith("server-")]
    for path in [log_file, mount.log] + server_logs:
        try:
            with open(path, errors="replace") as f:
                texts[path] = f.read()
        except OSError:
            texts[path] = ""
    fig.check(len(texts[log_file]) > 0, f"-d with log_file= wrote nothing to {log_file}")
    for where, text in texts.items():
        fig.check(SECRET not in text, f"the access key secret appears in {where}")
