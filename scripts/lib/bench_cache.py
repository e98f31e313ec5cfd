"""Data cache (-o cache_dir): the second epoch of reading a data set of N files of 4 MiB (200; 50
with --quick) from a server with added latency and a bandwidth limit (its own server:
--latency 20 --bandwidth 100M), each epoch through a fresh mount:
  cache_warm_epoch_s      epoch 2 with cache_dir (filled by epoch 1 in an earlier mount)
  cache_uncached_epoch_s  epoch 2 without a cache
  cache_local_disk_s      the same files read from local disk
Before every timed epoch the page cache of the local files and of the cache's block files is
dropped for those files only (posix_fadvise DONTNEED), so both disk sides read from the disk.
Warm and local figures are the best of 3 (2 with --quick), the uncached one a single run (slow by
design). Ratios are to local disk; the request counts are the server's for the timed epoch."""
import os, subprocess, time
from concurrent.futures import ThreadPoolExecutor

from osslite import OSSLite

LATENCY_MS, BANDWIDTH = 20, "100M"


def _drop_page_cache(root):
    for dirpath, _, names in os.walk(root):
        for name in names:
            try:
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _epoch(directory, count):
    names = " ".join(f"{directory}/f{i:04d}" for i in range(count))
    t = time.perf_counter()
    subprocess.run(f"cat {names} > /dev/null", shell=True, check=True)
    return time.perf_counter() - t


def run(bench):
    count = 50 if bench.args.quick else 200
    tmp = f"{bench.tmp}/cache-bench"
    os.makedirs(f"{tmp}/data"); os.makedirs(f"{tmp}/local")
    server = subprocess.Popen([f"{bench.bin}/ossfuse-server", "--root", f"{tmp}/data", "--listen", "127.0.0.1:0",
                               "--bucket", "bench", "--access-key-id", "bench-key", "--access-key-secret",
                               "bench-secret", "--latency", str(LATENCY_MS), "--bandwidth", BANDWIDTH],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    saved = bench.endpoint, bench.oss
    try:
        line = server.stdout.readline().strip()
        assert line.startswith("listening on "), line
        bench.endpoint = line.split()[-1]
        bench.oss = OSSLite(bench.endpoint, "bench", "bench-key", "bench-secret")

        def seed(i):
            body = os.urandom(4 << 20)
            with open(f"{tmp}/local/f{i:04d}", "wb") as f:
                f.write(body)
            bench.oss.put(f"ds/f{i:04d}", body)
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(seed, range(count)))

        def epoch_through(name, extra, cache_dir=None, reps=1):
            """Epoch 1 in one mount, then epoch 2 (timed; best of `reps`, each in a fresh mount);
            returns seconds and the requests of the best."""
            mnt, p = bench.mount(name, extra)
            _epoch(f"{mnt}/ds", count)
            bench.unmount(mnt, p)
            best = None
            for _ in range(reps):
                if cache_dir:
                    _drop_page_cache(cache_dir)
                mnt, p = bench.mount(name, extra)
                os.listdir(f"{mnt}/ds")
                before = bench.requests()
                seconds = _epoch(f"{mnt}/ds", count)
                after = bench.requests()
                bench.unmount(mnt, p)
                requests = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
                if best is None or seconds < best[0]:
                    best = (seconds, requests)
            return best

        def local_epoch():
            _drop_page_cache(f"{tmp}/local")
            return _epoch(f"{tmp}/local", count)

        cache_dir = f"{tmp}/cache"
        warm, warm_requests = epoch_through("cache-warm", f"cache_dir={cache_dir}", cache_dir, bench.reps)
        uncached, uncached_requests = epoch_through("cache-none", "")
        local = min(local_epoch() for _ in range(bench.reps))
    finally:
        bench.endpoint, bench.oss = saved
        server.terminate(); server.wait()
    mib = count * 4
    r = bench.results
    r["cache_warm_epoch_s"], r["cache_uncached_epoch_s"], r["cache_local_disk_s"] = round(warm, 3), round(uncached, 3), round(local, 3)
    r["cache_warm_vs_local_ratio"] = round(warm / local, 2)
    r["cache_uncached_vs_local_ratio"] = round(uncached / local, 2)
    r["cache_warm_requests"], r["cache_uncached_requests"] = warm_requests, uncached_requests
    bench.row("cache_warm_epoch_s", f"{warm:.2f}", f"{mib / warm:.0f} MiB/s, requests {warm_requests}")
    bench.row("cache_uncached_epoch_s", f"{uncached:.2f}", f"{mib / uncached:.0f} MiB/s, requests {uncached_requests}")
    bench.row("cache_local_disk_s", f"{local:.2f}", f"{mib / local:.0f} MiB/s ({count} x 4 MiB)")
    bench.row("cache_warm_vs_local_ratio", r["cache_warm_vs_local_ratio"], "target <= 1.5")
    bench.row("cache_uncached_vs_local_ratio", r["cache_uncached_vs_local_ratio"],
              f"server --latency {LATENCY_MS} --bandwidth {BANDWIDTH}")
