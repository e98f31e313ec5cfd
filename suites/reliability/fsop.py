"""One file-system call through a mount, run as a child process so that the caller can bound it
with a timeout (a call stuck in the kernel cannot be interrupted from Python). Prints one JSON
line: {"ok": bool, "errno": int|null, "error": str, "seconds": float, "result": ...}.

Usage: fsop.py read PATH | write PATH SIZE SEED | write-hold PATH SIZE SEED | stat PATH | listdir PATH | create PATH |
       mkdir PATH | symlink TARGET PATH | rename SRC DST | writer PATH MIB SEED"""
import errno, hashlib, json, os, random, sys, time


def data(size, seed):
    rng = random.Random(seed)
    return rng.randbytes(size)


STEP = ["call"]   # the system call in progress, reported with an error


def op(args):
    kind = args[0]
    if kind == "read":
        with open(args[1], "rb") as f:
            body = f.read()
        return {"size": len(body), "md5": hashlib.md5(body).hexdigest()}
    if kind == "write":
        body = data(int(args[2]), int(args[3]))
        STEP[0] = "open"
        f = open(args[1], "wb")
        STEP[0] = "write"
        f.write(body)
        f.flush()
        STEP[0] = "close"
        f.close()
        return {"size": len(body), "md5": hashlib.md5(body).hexdigest()}
    if kind == "write-hold":
        # Opens and writes while the caller's world is fine, says so on stderr, then closes only
        # after a line arrives on stdin (the caller breaks something in between).
        body = data(int(args[2]), int(args[3]))
        STEP[0] = "open"
        fd = os.open(args[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        STEP[0] = "write"
        os.write(fd, body)
        print("written", file=sys.stderr, flush=True)
        sys.stdin.readline()
        STEP[0] = "close"
        os.close(fd)
        return {"size": len(body), "md5": hashlib.md5(body).hexdigest()}
    if kind == "stat":
        st = os.lstat(args[1])
        return {"size": st.st_size, "mode": st.st_mode}
    if kind == "listdir":
        return sorted(os.listdir(args[1]))
    if kind == "create":
        os.close(os.open(args[1], os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644))
        return None
    if kind == "mkdir":
        os.mkdir(args[1])
        return None
    if kind == "symlink":
        os.symlink(args[1], args[2])
        return None
    if kind == "rename":
        os.rename(args[1], args[2])
        return None
    if kind == "writer":
        return writer(args[1], int(args[2]), int(args[3]))
    raise SystemExit(f"unknown op {kind}")


def writer(path, mib, seed):
    """Writes MIB MiB in 1 MiB blocks, reporting progress on stderr ("wrote N", then "closing"),
    so a test can kill the file system at a chosen point."""
    rng = random.Random(seed)
    h = hashlib.md5()
    STEP[0] = "open"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    STEP[0] = "write"
    for n in range(mib):
        block = rng.randbytes(1 << 20)
        os.write(fd, block)
        h.update(block)
        print(f"wrote {n + 1}", file=sys.stderr, flush=True)
    print("closing", file=sys.stderr, flush=True)
    STEP[0] = "close"
    os.close(fd)
    return {"md5": h.hexdigest()}


def main():
    t = time.monotonic()
    try:
        result = op(sys.argv[1:])
        out = {"ok": True, "errno": None, "error": "", "result": result}
    except OSError as e:
        out = {"ok": False, "errno": e.errno, "step": STEP[0],
               "error": f"{errno.errorcode.get(e.errno, e.errno)} at {STEP[0]}: {e.strerror}"}
    out["seconds"] = round(time.monotonic() - t, 3)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
