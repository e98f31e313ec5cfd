"""Processes and bookkeeping shared by the reliability scenarios: the ossfuse-server and ossfuse
processes (started, killed, restarted), the figures every scenario adds to, and small helpers.
Standard library only. Every process and mount started here is registered and torn down by
`Context.cleanup`, whatever happened."""
import hashlib, json, os, shutil, signal, socket, subprocess, sys, threading, time, http.client

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts", "lib"))
from osslite import OSSLite  # noqa: E402

KEY_ID = "rel-key-id"
SECRET = "rel-Secret-7f3a9c1e5b2d4a6f8e0c"   # distinctive: scenario 6 greps logs for it
BUCKET = "relbucket"


class CheckFailed(Exception):
    """A scenario found a wrong behaviour; the message says which."""


class Figures:
    """Counts one scenario adds to; printed as a row of the final table."""
    FIELDS = ["faults", "ops", "failed", "expected_err", "bytes", "hostile", "crashes"]

    def __init__(self, name):
        self.name = name
        self.values = dict.fromkeys(self.FIELDS, 0)
        self.failures = []   # human-readable descriptions of every wrong behaviour
        self.notes = []      # observed figures that are reported, not asserted (e.g. EIO latency)
        self.seconds = 0.0
        self.status = "not run"

    def add(self, field, n=1):
        self.values[field] += n

    def fail(self, msg):
        self.values["failed"] += 1
        self.failures.append(msg)
        print(f"  FAIL: {msg}", flush=True)

    def check(self, cond, msg):
        """Counts one operation; a false `cond` is an unexpected failure."""
        self.values["ops"] += 1
        if not cond:
            self.fail(msg)
        return bool(cond)

    def note(self, msg):
        self.notes.append(msg)
        print(f"  note: {msg}", flush=True)


class Server:
    """One ossfuse-server process over a fixed --root; can be killed and restarted on the same port."""

    def __init__(self, ctx, name, extra=()):
        self.ctx, self.name, self.extra = ctx, name, list(extra)
        self.root = os.path.join(ctx.tmp, name, "root")
        self.cwd = os.path.join(ctx.tmp, name, "cwd")       # the server's cwd and TMPDIR: must stay empty
        os.makedirs(self.root, exist_ok=True)
        os.makedirs(self.cwd, exist_ok=True)
        ctx.actors.append(self)
        self.port = 0
        self.region = os.environ.get("OSSFUSE_REGION", "cn-hangzhou")   # the V4 scope region the server expects
        self.proc = None
        self.expected_exit = False
        self.starts = 0

    def start(self, extra=None, timeout=60):
        if extra is not None:
            self.extra = list(extra)
        listen = f"127.0.0.1:{self.port}"
        cmd = [self.ctx.bin("ossfuse-server"), "--root", self.root, "--listen", listen,
               "--access-key-id", KEY_ID, "--access-key-secret", SECRET, "--bucket", BUCKET] + self.extra
        log = open(os.path.join(self.ctx.tmp, self.name, f"server-{self.starts}.log"), "w")
        env = dict(os.environ, TMPDIR=self.cwd)
        deadline = time.time() + timeout
        while True:
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=env, stdout=subprocess.PIPE,
                                         stderr=log, text=True)
            self.ctx.processes.append(self.proc)
            line = self._first_line(deadline)
            if line and "listening on" in line:
                break
            self.proc.wait()
            if self.port == 0 or time.time() > deadline:   # a restart may race the old socket's release
                raise CheckFailed(f"{self.name}: server did not start ({line!r}); see {log.name}")
            time.sleep(0.5)
        self.starts += 1
        self.endpoint = line.split()[-1].rstrip("/")
        self.port = int(self.endpoint.rsplit(":", 1)[1])
        self.expected_exit = False
        threading.Thread(target=self._drain, args=(self.proc, log), daemon=True).start()
        self.oss = OSSLite(self.endpoint, BUCKET, KEY_ID, SECRET)
        return self

    def _first_line(self, deadline):
        out = []
        def read():
            out.append(self.proc.stdout.readline())
        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(max(1, deadline - time.time()))
        return out[0].strip() if out else ""

    @staticmethod
    def _drain(proc, log):
        for line in proc.stdout:
            log.write(line)
        log.flush()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        """Ends the server with `sig` (SIGKILL for a crash); an exit we caused is not a crash."""
        if not self.alive():
            return
        self.expected_exit = True
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def crashed(self):
        """True when the server exited without being told to."""
        return self.proc is not None and self.proc.poll() is not None and not self.expected_exit

    def health(self):
        """A signed ListObjects of one key: True when the server answers 200."""
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            c.request("GET", "/_ossfuse/stats")
            r = c.getresponse(); r.read(); c.close()
            status, _ = self.oss.request("GET", "", "", headers=None)
            return r.status == 200 and status == 200
        except (OSError, http.client.HTTPException):
            return False

    def stats(self):
        """GET /_ossfuse/stats, retried: under --fault-rate the stats request may be faulted too."""
        last = None
        for _ in range(20):
            try:
                return self.oss.stats()
            except (OSError, ValueError, http.client.HTTPException) as e:
                last = e
                time.sleep(0.1)
        raise CheckFailed(f"{self.name}: /_ossfuse/stats unreadable: {last!r}")

    def check_index(self):
        """Runs `ossfuse-server --root ROOT --check` on the stopped server: (exit code, output)."""
        assert not self.alive()
        cmd = [self.ctx.bin("ossfuse-server"), "--root", self.root, "--check",
               "--access-key-id", KEY_ID, "--access-key-secret", SECRET, "--bucket", BUCKET]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=self.cwd)
        return p.returncode, (p.stdout + p.stderr).strip()


class Mount:
    """One `ossfuse -f` process (foreground, so the test holds its pid and can SIGKILL it)."""

    def __init__(self, ctx, server, name, options="", env=None, debug=False):
        self.ctx, self.server, self.name = ctx, server, name
        self.path = os.path.join(ctx.tmp, name, "mnt")
        os.makedirs(self.path, exist_ok=True)
        self.log = os.path.join(ctx.tmp, name, "ossfuse.log")
        self.options = options
        self.env = env if env is not None else dict(os.environ, OSS_ACCESS_KEY_ID=KEY_ID,
                                                    OSS_ACCESS_KEY_SECRET=SECRET)
        self.debug = debug
        ctx.actors.append(self)
        self.proc = None
        self.expected_exit = False

    def start(self, timeout=60):
        opts = f"url={self.server.endpoint}" + (f",{self.options}" if self.options else "")
        cmd = [self.ctx.bin("ossfuse"), "-f"] + (["-d"] if self.debug else []) + [BUCKET, self.path, "-o", opts]
        self.stderr = open(self.log, "a")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.stderr, stderr=self.stderr)
        self.ctx.processes.append(self.proc)
        self.ctx.mounts.append(self)
        self.expected_exit = False
        deadline = time.time() + timeout
        while not is_mounted(self.path):
            if self.proc.poll() is not None or time.time() > deadline:
                raise CheckFailed(f"mount {self.name} failed (exit {self.proc.poll()}); log {self.log}: "
                                  + tail(self.log))
            time.sleep(0.05)
        return self

    def kill(self):
        """SIGKILLs ossfuse: the kernel mount stays, dead, until `fusermount3 -u`."""
        self.expected_exit = True
        self.proc.kill()
        self.proc.wait()

    def crashed(self):
        return self.proc is not None and self.proc.poll() is not None and not self.expected_exit

    def unmount(self, lazy=False):
        self.expected_exit = True
        if is_mounted(self.path):
            p = subprocess.run(["fusermount3", "-u"] + (["-z"] if lazy else []) + [self.path],
                               capture_output=True, text=True, timeout=60)
            if p.returncode != 0 and not lazy:
                return p.returncode, p.stderr.strip()
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill(); self.proc.wait()
        if self in self.ctx.mounts:
            self.ctx.mounts.remove(self)
        return 0, ""


class Context:
    """Run-wide state: where binaries live, the scratch directory, everything to tear down."""

    def __init__(self, bin_dir, tmp, heavy, seed):
        self.bin_dir, self.tmp, self.heavy, self.seed = bin_dir, tmp, heavy, seed
        self.processes, self.mounts = [], []
        self.actors = []   # every Server and Mount, to tell crashes from exits we caused

    def bin(self, name):
        return os.path.join(self.bin_dir, name)

    def cleanup(self):
        for m in list(self.mounts):
            try:
                m.unmount(lazy=True)
            except Exception as e:   # keep tearing down the rest
                print(f"cleanup: {m.path}: {e}", file=sys.stderr)
        for p in self.processes:
            if p.poll() is None:
                p.kill()
                p.wait()


def is_mounted(path):
    return subprocess.run(["mountpoint", "-q", path]).returncode == 0


def tail(path, n=5):
    try:
        with open(path, errors="replace") as f:
            return " | ".join(f.read().strip().splitlines()[-n:])
    except OSError:
        return ""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def md5(data):
    return hashlib.md5(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(cmd, timeout=600, **kw):
    """subprocess.run with a hang guard; returns (exit code or 'timeout', seconds, output)."""
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
        return p.returncode, time.monotonic() - t, (p.stdout + p.stderr).strip()
    except subprocess.TimeoutExpired as e:
        return "timeout", time.monotonic() - t, str(e)


def wait_until(pred, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def fault_count(stats):
    """Faults the server reports having injected: `FaultsInjected` when present, else the sum
    of the keys that name faults or drops. Returns (count, keys used)."""
    if "FaultsInjected" in stats:
        return int(stats["FaultsInjected"]), ["FaultsInjected"]
    keys = [k for k, v in stats.items() if isinstance(v, (int, float))
            and any(w in k.lower() for w in ("fault", "drop"))]
    return sum(int(stats[k]) for k in keys), keys


def dump_json(obj):
    return json.dumps(obj, sort_keys=True)


def rmtree(path):
    shutil.rmtree(path, ignore_errors=True)


def fsop(*args, timeout=120):
    """Runs one file-system call in a child (fsop.py) bounded by `timeout`; returns its JSON
    answer, or {"ok": False, "errno": None, "error": "timeout", "seconds": timeout}."""
    cmd = [sys.executable, os.path.join(HERE, "fsop.py")] + [str(a) for a in args]
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "errno": None, "error": "timeout", "seconds": round(time.monotonic() - t, 3)}
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"ok": False, "errno": None, "error": f"fsop crashed: {p.stderr.strip()[-300:]}",
                "seconds": round(time.monotonic() - t, 3)}
