"""Scale: a bucket of a million objects (--quick: 100,000), half in one directory, half in a tree
of 1,000 directories, bulk-loaded with `ossfuse-server --populate`. Cold `ls -l` of the big
directory and `find -type f | wc -l` of the tree through fresh mounts, in entries per second, with
the requests per entry (server stats) and the mount daemon's RSS growth (peak VmHWM minus VmRSS
after mounting). Measured in the default mode (stored attributes: one HEAD per listed entry) and
with -o listing_only (the listing alone), since the HEADs are the limit of the first.
OSSFUSE_BENCH_SCALE_MODES=listing_only (or exact) runs one mode only.
Targets (issue 19): >= 10,000 entries/s, RSS growth < 200 MB."""
import os, subprocess, time

from osslite import OSSLite


def own_server(bench, name, spec):
    """A server of its own whose first bucket holds what `spec` (--populate) says; returns
    (process, endpoint, client, seconds the bulk load took)."""
    root = f"{bench.tmp}/{name}-data"
    os.makedirs(root)
    t = time.perf_counter()
    p = subprocess.Popen([f"{bench.bin}/ossfuse-server", "--root", root, "--listen", "127.0.0.1:0",
                          "--bucket", "bench", "--access-key-id", "bench-key", "--access-key-secret",
                          "bench-secret", "--populate", spec],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline().strip()
    assert line.startswith("listening on "), line
    endpoint = line.split()[-1]
    return p, endpoint, OSSLite(endpoint, "bench", "bench-key", "bench-secret"), time.perf_counter() - t


def with_endpoint(bench, endpoint, oss, fn):
    """Runs `fn` with bench.mount/requests pointed at another server."""
    saved = bench.endpoint, bench.oss
    bench.endpoint, bench.oss = endpoint, oss
    try:
        return fn()
    finally:
        bench.endpoint, bench.oss = saved


def rss_mb(p, field):
    with open(f"/proc/{p.pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(bench):
    total = 100_000 if bench.args.quick else 1_000_000
    flat, dirs = total // 2, 1000
    per_dir = total // 2 // dirs
    server, endpoint, oss, load = own_server(bench, "scale", f"big/:{flat},tree/:{dirs}x{per_dir}")
    bench.results["scale_populate_seconds"] = round(load, 2)
    try:
        # OSSFUSE_BENCH_SCALE_MODES=listing_only skips the default mode (one HEAD per entry: at a
        # million entries, minutes on a loaded 2-core machine).
        modes = os.environ.get("OSSFUSE_BENCH_SCALE_MODES", "listing_only,exact").split(",")
        for mode in modes:
            def measure():
                mnt, p = bench.mount(f"scale-{mode}", "listing_only" if mode == "listing_only" else "")
                subprocess.run(["stat", mnt], check=True, stdout=subprocess.DEVNULL)
                base = rss_mb(p, "VmRSS")
                bench.oss.reset_stats()
                ls = bench_timed(lambda: subprocess.run(f"ls -l {mnt}/big | wc -l", shell=True, check=True,
                                                        capture_output=True, text=True).stdout)
                ls_requests = bench.requests(); bench.oss.reset_stats()
                find = bench_timed(lambda: subprocess.run(f"find {mnt}/tree -type f | wc -l", shell=True, check=True,
                                                          capture_output=True, text=True).stdout)
                find_requests = bench.requests()
                growth = rss_mb(p, "VmHWM") - base
                after = rss_mb(p, "VmRSS") - base
                bench.unmount(mnt, p)
                return ls, ls_requests, find, find_requests, growth, after
            (ls_t, ls_out), ls_r, (find_t, find_out), find_r, growth, after = with_endpoint(bench, endpoint, oss, measure)
            assert int(ls_out.split()[0]) == flat + 1, ls_out   # + the "total" line
            assert int(find_out.split()[0]) == dirs * per_dir, find_out
            suffix = "" if mode == "exact" else "_listing_only"
            bench.results.update({
                f"ls_l_1m_entries_per_s{suffix}": round(flat / ls_t),
                f"find_1m_entries_per_s{suffix}": round(dirs * per_dir / find_t),
                f"rss_growth_1m_mb{suffix}": round(growth, 1),
                f"rss_after_1m_mb{suffix}": round(after, 1),
                f"ls_l_1m_requests_per_entry{suffix}": round(sum(ls_r.values()) / flat, 3),
                f"find_1m_requests_per_entry{suffix}": round(sum(find_r.values()) / (dirs * per_dir), 3),
                f"scale_requests{suffix}": {"ls": ls_r, "find": find_r},
            })
            bench.row(f"ls -l {flat} entries, {mode} (entries/s)", round(flat / ls_t), f"target >= 10000; {ls_r}")
            bench.row(f"find {dirs}x{per_dir} files, {mode} (entries/s)", round(dirs * per_dir / find_t),
                      f"target >= 10000; {find_r}")
            bench.row(f"RSS growth over both, {mode} (MB)", round(growth, 1),
                      f"target < 200; still held after: {after:.1f}")
        bench.results["scale_objects"] = total
    finally:
        server.terminate(); server.wait()


def bench_timed(fn):
    t = time.perf_counter(); out = fn(); return time.perf_counter() - t, out
