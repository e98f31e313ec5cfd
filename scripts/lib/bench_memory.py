"""Bench section `memory`: what the cgroup memory budget costs. The same sequential read of one
object through a mount without a memory limit and through one whose cgroup limit is 256 MiB
(budget 128 MiB: read-ahead bounded to 32 MiB per file), given by a prepared cgroup directory
(OSSFUSE_CGROUP_ROOT); and a write into the middle of the object (copied into staging in 8 MiB
ranges, 4 at a time under the budget, 16 without). Each figure is the best of bench.reps, as a
ratio of the bounded mount to the unbounded one in the same run, with both peak RSS and the
server's request counts."""
import os
import subprocess
import time


def run(bench):
    mib = 128 if bench.args.quick else 512
    size = mib << 20
    src = f"{bench.tmp}/memory-src.bin"
    subprocess.run(f"head -c {size} /dev/urandom > {src}", shell=True, check=True)
    bench.curl("PUT", "memory.bin", ["-T", src])
    cgroup = f"{bench.tmp}/cgroup"
    os.makedirs(cgroup, exist_ok=True)
    with open(f"{cgroup}/memory.max", "w") as f:
        f.write(f"{256 << 20}\n")

    def timed(command):
        os.sync()
        t = time.perf_counter()
        subprocess.run(command, shell=True, check=True)
        return time.perf_counter() - t

    best, rss, requests = {}, {}, {}
    for side in ("unbounded", "bounded"):
        reads, patches, peak = [], [], 0.0
        for rep in range(bench.reps):
            if side == "bounded":
                os.environ["OSSFUSE_CGROUP_ROOT"] = cgroup
            else:
                os.environ["OSSFUSE_CGROUP_ROOT"] = f"{bench.tmp}/no-cgroup"
            try:
                mnt, p = bench.mount(f"memory-{side}-{rep}")
            finally:
                os.environ.pop("OSSFUSE_CGROUP_ROOT", None)
            before = bench.requests()
            reads.append(timed(f"dd if={mnt}/memory.bin of=/dev/null bs=1M status=none"))
            patches.append(timed(f"printf PATCH | dd of={mnt}/memory.bin bs=1 seek={size // 2} conv=notrunc status=none"))
            after = bench.requests()
            peak = max(peak, bench.peak_rss_mb(p))
            bench.unmount(mnt, p)
            requests[side] = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
        best[side] = (min(reads), min(patches))
        rss[side] = round(peak, 1)
    read_ratio = round(best["unbounded"][0] / best["bounded"][0], 3)
    patch_ratio = round(best["unbounded"][1] / best["bounded"][1], 3)
    bench.results.update(memory_budget_read_ratio=read_ratio, memory_budget_patch_ratio=patch_ratio,
                         memory_budget_rss_mb_bounded=rss["bounded"], memory_budget_rss_mb_unbounded=rss["unbounded"],
                         memory_budget_requests_bounded=requests["bounded"],
                         memory_budget_requests_unbounded=requests["unbounded"], memory_budget_size_mib=mib)
    mb_s = {side: round(size / best[side][0] / 1e6) for side in best}
    bench.row(f"seq read {mib} MiB, 256 MiB cgroup limit / none", f"{read_ratio:.2f}",
              f"{mb_s['bounded']} vs {mb_s['unbounded']} MB/s")
    bench.row(f"write into a {mib} MiB file's middle, limit / none", f"{patch_ratio:.2f}",
              f"{best['bounded'][1]:.2f} s vs {best['unbounded'][1]:.2f} s")
    bench.row("ossfuse peak RSS, 256 MiB limit / none (MB)", rss["bounded"], f"none {rss['unbounded']}")
