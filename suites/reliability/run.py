#!/usr/bin/env python3
"""ossfuse reliability and security suite: faults, crashes and hostile input, measured.

Scenarios (each against real ossfuse-server and ossfuse processes, real FUSE mounts):
  faults       cp -a a mixed tree in and out of a mount while the server injects faults
  faults-exclusive  ln -s, mkdir and O_EXCL creates under a 0.15 fault rate: none may fail
  server-down  EIO while the server is away, recovery when it returns on the same port
  server-crash ossfuse-server SIGKILLed during 50 concurrent uploads: nothing acknowledged lost
  client-crash ossfuse SIGKILLed mid-write of an overwrite: the previous version survives
  hostile      hundreds of malformed/hostile requests, ACL and symlink least privilege
  mount-input  bad mount arguments, long names, secrets kept out of logs
Prints a table of figures at the end; exits non-zero when any check failed or anything crashed.
Binaries come from $OSSFUSE_BIN_DIR (default: `swift build --show-bin-path`, built if missing).

Usage: scripts/reliability [--heavy] [--only NAME[,NAME]] [--seed N] [--keep]
"""
import argparse, os, subprocess, sys, tempfile, time, traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import s1_faults, s1b_exclusive, s2_server_down, s3_server_crash, s4_client_crash, s5_hostile, s6_mount_input  # noqa: E402

SCENARIOS = [("faults", s1_faults), ("faults-exclusive", s1b_exclusive), ("server-down", s2_server_down), ("server-crash", s3_server_crash),
             ("client-crash", s4_client_crash), ("hostile", s5_hostile), ("mount-input", s6_mount_input)]
COLUMNS = [("faults", "faults injected"), ("ops", "ops attempted"), ("failed", "ops failed"),
           ("expected_err", "expected errors"), ("bytes", "bytes verified"), ("hostile", "hostile requests"),
           ("crashes", "crashes")]


def bin_dir():
    d = os.environ.get("OSSFUSE_BIN_DIR")
    if d:
        return d
    d = subprocess.run(["swift", "build", "--show-bin-path"], cwd=harness.ROOT, capture_output=True,
                       text=True, check=True).stdout.strip()
    if not all(os.path.exists(os.path.join(d, b)) for b in ("ossfuse", "ossfuse-server")):
        subprocess.run(["swift", "build"], cwd=harness.ROOT, check=True)
    return d


def run_one(ctx, name, module):
    fig = harness.Figures(name)
    print(f"\n=== {name} ===", flush=True)
    start = time.monotonic()
    first_process, first_actor = len(ctx.processes), len(ctx.actors)
    try:
        module.run(ctx, fig)
    except harness.CheckFailed as e:
        fig.fail(str(e))
    except Exception as e:   # a bug or an unexpected answer: the scenario fails, the suite goes on
        fig.fail(f"scenario stopped: {e!r}")
        traceback.print_exc()
    finally:
        crashed = [p for p in ctx.processes[first_process:] if p.poll() is not None and p.returncode < 0
                   and -p.returncode not in (9, 15) and -p.returncode != 2]
        for p in crashed:
            fig.add("crashes")
            fig.fail(f"{p.args[0]} (pid {p.pid}) died of signal {-p.returncode}")
        for a in ctx.actors[first_actor:]:
            if a.crashed() and a.proc not in crashed:
                fig.add("crashes")
                fig.fail(f"{type(a).__name__} {a.name} exited on its own (code {a.proc.returncode})")
        ctx.cleanup()
    fig.seconds = time.monotonic() - start
    fig.status = "FAIL" if fig.failures or fig.values["crashes"] else "ok"
    return fig


def table(figs):
    head = ["scenario", "result"] + [c[1] for c in COLUMNS] + ["seconds"]
    rows = [[f.name, f.status] + [str(f.values[c[0]]) for c in COLUMNS] + [f"{f.seconds:.0f}"] for f in figs]
    total = ["TOTAL", "FAIL" if any(f.status != "ok" for f in figs) else "ok"]
    total += [str(sum(f.values[c[0]] for f in figs)) for c in COLUMNS] + [f"{sum(f.seconds for f in figs):.0f}"]
    rows.append(total)
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    line = lambda r: "  ".join(v.rjust(w) if i > 1 else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths)))
    out = [line(head), "  ".join("-" * w for w in widths)] + [line(r) for r in rows[:-1]]
    out += ["  ".join("-" * w for w in widths), line(rows[-1])]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--heavy", action="store_true", help="bigger trees, more rounds and requests")
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("OSSFUSE_RELIABILITY_SEED", "20261126")))
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory (logs, trees)")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    unknown = only - {n for n, _ in SCENARIOS}
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    tmp = tempfile.mkdtemp(prefix="ossfuse-reliability-", dir="/var/tmp")
    ctx = harness.Context(bin_dir(), tmp, args.heavy, args.seed)
    print(f"reliability: binaries {ctx.bin_dir}, scratch {tmp}, seed {args.seed}, "
          f"{'heavy' if args.heavy else 'default'} run", flush=True)
    figs = []
    try:
        for name, module in SCENARIOS:
            if not only or name in only:
                figs.append(run_one(ctx, name, module))
    finally:
        ctx.cleanup()
    print("\n=== failures and notes ===")
    for f in figs:
        for msg in f.failures:
            print(f"FAIL [{f.name}] {msg}")
        for msg in f.notes:
            print(f"note [{f.name}] {msg}")
    print("\n=== reliability figures ===")
    print(table(figs))
    failed = any(f.status != "ok" for f in figs)
    if not failed and not args.keep:
        harness.rmtree(tmp)
    elif args.keep:
        print(f"\nscratch directory kept: {tmp}")
    else:   # keep the logs of a failed run, not its data (trees, server roots); --keep keeps all
        for dirpath, dirnames, _ in os.walk(tmp):
            for d in [d for d in dirnames if d in ("src", "back", "root", "mnt")]:
                if not harness.is_mounted(os.path.join(dirpath, d)):
                    harness.rmtree(os.path.join(dirpath, d))
            dirnames[:] = [d for d in dirnames if d not in ("src", "back", "root", "mnt")]
        print(f"\nlogs kept in {tmp} (--keep keeps the data too)")
    print("reliability: FAILED" if failed else "reliability: all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
