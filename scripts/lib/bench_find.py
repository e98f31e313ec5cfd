"""find: cold `find -type f` over a tree of 800 directories (2 levels: 40 x 20, 10 files each,
bulk-loaded with --populate) through a fresh mount, against one curl process that lists each
directory once (ListObjectsV2, delimiter /, every page) over one kept-alive connection: the
requests any client needs to learn the tree. find_ratio = mount time / curl time (target <= 1.2),
best of the runs on each side; requests per directory from the server's stats. Also with
-o listing_only (find_ratio_listing_only): the default mode HEADs every listed entry for its
stored attributes (readdirplus hands them to the kernel), which is the limit of find_ratio."""
import subprocess, time, urllib.parse

from bench_scale import own_server, with_endpoint


def list_all(bench, endpoint, oss, prefixes):
    """One curl process listing every prefix in turn (single page each: 1000 keys is enough)."""
    cmd = ["curl", "-sf"]
    for i, prefix in enumerate(prefixes):
        d = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())
        auth = oss._sign("GET", "/bench/", {"Date": d})
        query = urllib.parse.urlencode({"list-type": "2", "delimiter": "/", "max-keys": "1000", "prefix": prefix})
        cmd += (["--next"] if i else []) + ["-H", f"Date: {d}", "-H", f"Authorization: {auth}",
                                            "-o", "/dev/null", f"{endpoint}/bench/?{query}"]
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t


def run(bench):
    top, sub, files = 40, 20, 10   # 40 + 800 directories, 8,000 files
    spec = ",".join(f"src/d{a:02d}/:{sub}x{files}" for a in range(top))
    server, endpoint, oss, _ = own_server(bench, "find", spec)
    try:
        prefixes = ["src/"] + [f"src/d{a:02d}/" for a in range(top)] + \
                   [f"src/d{a:02d}/d{b:02d}/" for a in range(top) for b in range(sub)]
        curl = []
        mount = {"exact": [], "listing_only": []}
        requests = {}
        for rep in range(bench.reps):
            curl.append(list_all(bench, endpoint, oss, prefixes))
            for mode in mount:
                def go():
                    mnt, p = bench.mount(f"find-{mode}-{rep}", "listing_only" if mode == "listing_only" else "")
                    bench.oss.reset_stats()
                    t = time.perf_counter()
                    out = subprocess.run(f"find {mnt}/src -type f | wc -l", shell=True, check=True,
                                         capture_output=True, text=True).stdout
                    t = time.perf_counter() - t
                    r = bench.requests()
                    bench.unmount(mnt, p)
                    assert int(out) == top * sub * files, out
                    return t, r
                t, requests[mode] = with_endpoint(bench, endpoint, oss, go)
                mount[mode].append(t)
        directories = len(prefixes)
        for mode, suffix in (("exact", ""), ("listing_only", "_listing_only")):
            r = requests[mode]
            bench.results.update({f"find_ratio{suffix}": round(min(mount[mode]) / min(curl), 3),
                                  f"find_seconds{suffix}": round(min(mount[mode]), 3),
                                  f"find_requests_per_directory{suffix}": round(sum(r.values()) / directories, 3),
                                  f"find_requests_by_op{suffix}": r})
            bench.row(f"find -type f over {directories} dirs, {mode} / curl listing each",
                      bench.results[f"find_ratio{suffix}"],
                      f"target <= 1.2; {min(mount[mode]):.2f}s vs {min(curl):.2f}s; requests {r}")
        bench.results.update(find_curl_seconds=round(min(curl), 3), find_directories=directories)
    finally:
        server.terminate(); server.wait()
