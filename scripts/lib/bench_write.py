"""Write-path figures (`scripts/bench --only write`), each against a baseline from the same run:

  git_clone_ratio      `git clone` of a generated repository (5,000 small files and 50 symlinks;
                       --quick 1,000 and 10) into the mount / one PutObject per file of the same
                       checkout (symlinks: PutSymlink) from 16 threads with scripts/lib/osslite.py.
                       git_clone_local_ratio: the same clone onto local disk / the mount (printed,
                       no target). git_clone_requests_per_file: the mount's requests / files + links.
  tar_x_ratio          `tar -x` of a tarball of /usr/include (about 8,000 files; --quick 2,000) into
                       the mount / the same PUT baseline for its members. tar_x_requests_per_file.
  rss_mb_peak_write    ossfuse's peak RSS while `dd` writes 1 GiB (--quick 128 MiB) into a fresh
                       mount, with the time against a curl upload of the same file (write_1g_ratio).
Every timed side is the best of bench.reps runs.
"""
import os, shutil, subprocess, tarfile, time
from concurrent.futures import ThreadPoolExecutor


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def timed(fn):
    os.sync()
    t = time.perf_counter(); fn(); return time.perf_counter() - t


def put_tree(bench, root, prefix, threads=16):
    """One PutObject per regular file under `root` (PutSymlink per link) from `threads` threads;
    (seconds, entries)."""
    entries = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x != ".git"]
        for name in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            path = os.path.join(d, name)
            entries.append((path, prefix + os.path.relpath(path, root)))

    def one(entry):
        path, key = entry
        if os.path.islink(path):
            bench.oss.symlink(key, os.readlink(path))
        else:
            with open(path, "rb") as f:
                bench.oss.put(key, f.read())

    def go():
        with ThreadPoolExecutor(threads) as ex:
            list(ex.map(one, entries))
    return timed(go), len(entries)


def make_repository(path, files, links):
    os.makedirs(path)
    top = max(1, files // 100)  # about one directory per 17 files, as in a source tree
    for i in range(files):
        d = f"{path}/d{i % top:02d}/s{i % 5}"
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/f{i:05d}.txt", "w") as f:
            f.write(f"file {i}\n" * (1 + i % 40))
    for i in range(links):
        os.symlink(f"s{i % 5}/f{i:05d}.txt", f"{path}/d{i % top:02d}/link{i:03d}")
    sh(f"cd {path} && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm init")


def clone(bench):
    files, links = (1000, 10) if bench.args.quick else (5000, 50)
    src = f"{bench.tmp}/repo"
    make_repository(src, files, links)
    checkout = f"{bench.tmp}/repo-checkout"
    sh(f"git clone -q --no-local {src} {checkout}")
    put, put1, local, mount, reqs = [], [], [], [], {}
    for rep in range(bench.reps):
        t, n = put_tree(bench, checkout, f"put-clone-{rep}/")
        put.append(t)
        put1.append(put_tree(bench, checkout, f"put1-clone-{rep}/", threads=1)[0])
        dest = f"{bench.tmp}/local-clone-{rep}"
        local.append(timed(lambda: sh(f"git clone -q --no-local {src} {dest}")))
        shutil.rmtree(dest)
        mnt, p = bench.mount(f"clone-{rep}")
        bench.oss.reset_stats()
        mount.append(timed(lambda: sh(f"git clone -q --no-local {src} {mnt}/clone-{rep}")))
        reqs = bench.requests()
        bench.unmount(mnt, p)
    total = sum(reqs.values())
    bench.results.update(git_clone_ratio=round(min(mount) / min(put), 3),
                         git_clone_ratio_one_stream=round(min(mount) / min(put1), 3),
                         git_clone_put_one_stream_s=round(min(put1), 2),
                         git_clone_local_ratio=round(min(local) / min(mount), 3),
                         git_clone_s=round(min(mount), 2), git_clone_put_s=round(min(put), 2),
                         git_clone_local_s=round(min(local), 3), git_clone_files=n,
                         git_clone_requests_per_file=round(total / n, 2), git_clone_requests_by_op=reqs)
    bench.row(f"git clone {n} entries into the mount (s)", bench.results["git_clone_s"],
              f"PUT each: 16 threads {bench.results['git_clone_put_s']} s, one stream "
              f"{bench.results['git_clone_put_one_stream_s']} s; local disk {bench.results['git_clone_local_s']} s")
    bench.row("git clone ratio (mount / PUT each, 16 threads)", bench.results["git_clone_ratio"],
              f"one stream: {bench.results['git_clone_ratio_one_stream']}")
    bench.row("git clone requests/file", bench.results["git_clone_requests_per_file"],
              f"{reqs}")


def tar_x(bench):
    limit = 2000 if bench.args.quick else 10000
    members, count = [], 0
    for d, dirs, files in os.walk("/usr/include"):
        dirs.sort()
        if count >= limit:
            break
        members.append(os.path.relpath(d, "/usr"))  # directories too: tar sets their mode and times
        for name in sorted(files):
            if count < limit:
                members.append(os.path.relpath(os.path.join(d, name), "/usr"))
                count += 1
    listing = f"{bench.tmp}/tar-members"
    with open(listing, "w") as f:
        f.write("\n".join(members) + "\n")
    tarball = f"{bench.tmp}/include.tar"
    sh(f"tar -C /usr --no-recursion -cf {tarball} -T {listing}")
    unpacked = f"{bench.tmp}/tar-src"
    os.makedirs(unpacked)
    sh(f"tar -C {unpacked} -xf {tarball}")
    put, put1, mount, reqs = [], [], [], {}
    for rep in range(bench.reps):
        t, n = put_tree(bench, unpacked, f"put-tar-{rep}/")
        put.append(t)
        put1.append(put_tree(bench, unpacked, f"put1-tar-{rep}/", threads=1)[0])
        mnt, p = bench.mount(f"tar-{rep}")
        os.makedirs(f"{mnt}/x-{rep}")
        bench.oss.reset_stats()
        mount.append(timed(lambda: sh(f"tar -C {mnt}/x-{rep} -xf {tarball}")))
        reqs = bench.requests()
        bench.unmount(mnt, p)
    total = sum(reqs.values())
    bench.results.update(tar_x_ratio=round(min(mount) / min(put), 3), tar_x_s=round(min(mount), 2),
                         tar_x_ratio_one_stream=round(min(mount) / min(put1), 3),
                         tar_x_put_one_stream_s=round(min(put1), 2),
                         tar_x_put_s=round(min(put), 2), tar_x_files=n,
                         tar_x_requests_per_file=round(total / n, 2), tar_x_requests_by_op=reqs)
    bench.row(f"tar -x {n} files into the mount (s)", bench.results["tar_x_s"],
              f"PUT each: 16 threads {bench.results['tar_x_put_s']} s, one stream {bench.results['tar_x_put_one_stream_s']} s")
    bench.row("tar -x ratio (mount / PUT each, 16 threads)", bench.results["tar_x_ratio"],
              f"one stream: {bench.results['tar_x_ratio_one_stream']}")
    bench.row("tar -x requests/file", bench.results["tar_x_requests_per_file"], f"{reqs}")


def big_write(bench):
    mib = 128 if bench.args.quick else 1024
    src = f"{bench.tmp}/write-src.bin"
    if not os.path.exists(src) or os.path.getsize(src) != mib << 20:
        sh(f"head -c {mib << 20} /dev/urandom > {src}")
    curl, write, rss = [], [], 0.0
    for rep in range(bench.reps):
        curl.append(bench.curl("PUT", f"w-curl-{rep}.bin", ["-T", src]))
        mnt, p = bench.mount(f"write-{rep}")
        write.append(timed(lambda: sh(f"dd if={src} of={mnt}/w-{rep}.bin bs=1M status=none")))
        rss = max(rss, bench.peak_rss_mb(p))
        bench.unmount(mnt, p)
    bench.results.update(rss_mb_peak_write=round(rss, 1), write_ratio=round(min(curl) / min(write), 3),
                         write_mb_s=round((mib << 20) / min(write) / 1e6), write_size_mib=mib)
    bench.row(f"write {mib} MiB: peak RSS (MB)", bench.results["rss_mb_peak_write"],
              f"{bench.results['write_mb_s']} MB/s, ratio to curl {bench.results['write_ratio']}")


def run(bench):
    clone(bench)
    tar_x(bench)
    big_write(bench)
