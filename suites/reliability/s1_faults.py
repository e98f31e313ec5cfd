"""Scenario 1: faults. The server answers a fraction of requests with 503 or a dropped connection;
a mixed tree copied into the mount with `cp -a` and back out (through a fresh mount, so nothing
comes from a cache) must be byte-identical, and no application call may fail."""
import os, random

from harness import Mount, Server, fault_count, run as sh, sha256_file


def make_tree(root, total_bytes, small_files, rng):
    """Many small files, some 1-20 MiB files, nested and empty directories, odd names, symlinks
    (relative, to directories, dangling, absolute, chains). Returns (files, bytes)."""
    os.makedirs(root)
    dirs = [root]
    for n in range(30):
        d = os.path.join(rng.choice(dirs), rng.choice(["d", "dir", "sub", "n e s t", "ünï"]) + f"{n}")
        os.makedirs(d)
        dirs.append(d)
    os.makedirs(os.path.join(root, "empty-dir"))
    files, written = [], 0
    big_budget = total_bytes * 7 // 10
    while written < big_budget:
        size = min(rng.randrange(1 << 20, 20 << 20), max(1 << 20, big_budget - written))
        files.append((os.path.join(rng.choice(dirs), f"big-{len(files)}.bin"), size))
        written += size
    names = ["plain", "with space", "percent%41", "plus+sign", "hash#tag", "ünïcödé-文件", "dots..x", "-dash"]
    for _ in range(small_files):
        size = rng.choice([0, 1, rng.randrange(2, 4096), rng.randrange(4096, 64 << 10)])
        files.append((os.path.join(rng.choice(dirs), f"{rng.choice(names)}-{len(files)}.dat"), size))
        written += size
    while written < total_bytes:   # the rest in medium files
        size = min(rng.randrange(256 << 10, 1 << 20), total_bytes - written)
        files.append((os.path.join(rng.choice(dirs), f"medium-{len(files)}.bin"), size))
        written += size
    for path, size in files:
        with open(path, "wb") as f:
            f.write(rng.randbytes(size))
        os.chmod(path, rng.choice([0o644, 0o600, 0o755, 0o640]))
    regular = [p for p, _ in files]
    for n in range(20):
        here = rng.choice(dirs)
        kind = n % 5
        if kind == 0:
            target = os.path.relpath(rng.choice(regular), here)
        elif kind == 1:
            target = os.path.relpath(rng.choice(dirs), here)
        elif kind == 2:
            target = f"missing-{n}"
        elif kind == 3:
            target = "/etc/hostname"
        else:
            target = f"link-{n - 1}"
        os.symlink(target, os.path.join(here, f"link-{n}"))
    return len(files), written


def compare(fig, src, dst):
    """diff -r without following links, plus sha256 of every file and the text of every link."""
    code, _, out = sh(["diff", "-r", "--no-dereference", src, dst], timeout=1200)
    fig.check(code == 0, f"diff -r {src} {dst} differs: {out[:500]}")
    verified = 0
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        for n in list(dirnames) + filenames:
            a, b = os.path.join(dirpath, n), os.path.join(dst, rel, n)
            if not os.path.lexists(b):
                fig.check(False, f"{b} missing" + (" (and everything below it)" if n in dirnames else ""))
                if n in dirnames:
                    dirnames.remove(n)   # one failure for a missing directory, not one per file in it
            elif os.path.islink(a):
                if os.path.isfile(b) and not os.path.islink(b):
                    with open(b, "rb") as f:
                        legacy = f.read() == os.fsencode(os.readlink(a))
                    fig.check(False, f"link {b} -> {os.readlink(a)} came back as a regular file" + (
                        " holding its text (a legacy link seen only in a listing)" if legacy else ""))
                else:
                    fig.check(os.path.islink(b) and os.readlink(a) == os.readlink(b), f"link {b} differs")
            elif os.path.isfile(a):
                same = os.path.isfile(b) and not os.path.islink(b) and sha256_file(a) == sha256_file(b)
                if fig.check(same, f"sha256 of {b} differs from {a}"):
                    verified += os.path.getsize(a)
            elif os.path.isdir(a):
                fig.check(os.path.isdir(b) and not os.path.islink(b), f"{b} is not a directory")
    fig.add("bytes", verified)
    return verified


def run(ctx, fig):
    rng = random.Random(ctx.seed + 1)
    total = (1024 if ctx.heavy else 300) << 20   # the 300 MiB by default
    src = os.path.join(ctx.tmp, "s1-faults", "src")
    os.makedirs(os.path.dirname(src), exist_ok=True)
    nfiles, nbytes = make_tree(src, total, 2000 if ctx.heavy else 800, rng)
    print(f"  tree: {nfiles} files, {nbytes >> 20} MiB", flush=True)
    server = Server(ctx, "s1-faults", ["--fault-rate", "0.1"]).start()
    mount = Mount(ctx, server, "s1-faults", "attr_timeout=5").start()
    dst = os.path.join(mount.path, "tree")
    code, secs, out = sh(["cp", "-a", src, dst], timeout=1800)
    fig.check(code == 0, f"cp -a into the mount failed (exit {code}): {out[:800]}")
    fig.add("ops", nfiles)
    fig.note(f"cp -a in: {secs:.1f} s")
    mount.unmount()
    mount = Mount(ctx, server, "s1-faults-2", "attr_timeout=5").start()   # nothing from the first mount's caches
    back = os.path.join(ctx.tmp, "s1-faults", "back")
    code, secs, out = sh(["cp", "-a", os.path.join(mount.path, "tree"), back], timeout=1800)
    fig.check(code == 0, f"cp -a out of the mount failed (exit {code}): {out[:800]}")
    fig.add("ops", nfiles)
    fig.note(f"cp -a out: {secs:.1f} s")
    if code == 0:
        compare(fig, src, back)
    stats = server.stats()
    faults, keys = fault_count(stats)
    fig.add("faults", faults)
    if not keys:
        fig.fail(f"server stats report no fault counter (keys: {sorted(stats)[:30]})")
    else:
        fig.check(faults > 0, "server reports 0 faults injected at --fault-rate 0.1")
        fig.note(f"faults from stats: {faults} ({stats.get('FaultsServiceUnavailable', '?')} x 503, "
                 f"{stats.get('FaultsDropped', '?')} dropped connections)")
    mount.unmount()
    server.stop()
    code, out = server.check_index()
    fig.check(code == 0, f"ossfuse-server --check failed afterwards (exit {code}): {out[-500:]}")
