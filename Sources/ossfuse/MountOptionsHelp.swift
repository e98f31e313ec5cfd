import Foundation
import OSSFileSystem

/// The MOUNT OPTIONS section of `--help`, grouped, with defaults (lines under 80 columns, so
/// ArgumentParser does not re-wrap them). man/ossfuse.1 documents the same options: a mount test
/// compares the two lists.
enum MountOptionsHelp {
    /// The file system's defaults, stated once (`MountConfiguration.defaults`).
    private static let d = MountConfiguration.defaults
    private static func seconds(_ value: Double) -> String { String(format: "%g", value) }
    private static func mib(_ bytes: Int64) -> String { "\(bytes >> 20)M" }

    static let text = """
    MOUNT OPTIONS (-o opt[,opt...], repeatable; default in brackets):
     Endpoint and credentials
      url=URL               OSS endpoint [\(MountSettings.defaultEndpoint)]
      region=REGION         V4 signing region [from an oss-REGION.aliyuncs.com
                            url; cn-hangzhou for an IP address or localhost;
                            required for other hosts]
      addressing=STYLE      virtual (BUCKET.HOST), path (HOST/BUCKET) or
                            cname (HOST is the bucket's custom domain)
                            [path for IP addresses and localhost, else virtual]
      cafile=FILE           PEM certificate authorities for https [system's]
      sigv1                 sign with OSS signature V1 [V4]
      passwd_file=FILE      bucket:id:secret or id:secret lines, mode 600
                            [OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and
                            OSS_SESSION_TOKEN, else /etc/passwd-ossfuse]
     Temporary credentials (refreshed before they expire; use one)
      credentials_dir=DIR   files AccessKeyId, AccessKeySecret, SecurityToken,
                            Expiration (a Kubernetes secret), re-read on change
      credential_process=CMD  command printing {"AccessKeyId", "AccessKeySecret",
                            "SecurityToken", "Expiration"} JSON (as ossfs 2.0)
      ram_role=NAME         the ECS instance's RAM role, from the instance
                            metadata service
      ecs_metadata_url=URL  metadata service [http://100.100.100.200]
     Caching and consistency
      attr_timeout=SECS     trust attributes, names, link texts [\(seconds(d.attributeTimeout))]
      negative_timeout=SECS trust "no such file" [\(seconds(d.negativeTimeout))]
      listing_only          listed entries show default modes, owners and
                            Last-Modified: one HEAD less per entry; not with
                            allow_other [off: stored attributes everywhere]
      stat_listed           stored attributes for listed entries [on]
     Ownership and access
      uid=N  gid=N          owner of files without a stored one [mounting user]
      umask=OCTAL           removed from default permissions [\(String(format: "%03o", d.umask))]
      allow_other           let other users in (root or user_allow_other)
      ro                    read-only: changes fail with EROFS
      nosymfollow           the kernel does not follow symlinks (root)
     Performance
      parallelism=N         parallel OSS requests [\(d.parallelism)]
      max_background=N      requests the kernel keeps in flight [64]
      multipart_threshold=SIZE  multipart upload from this size [\(mib(d.multipartThreshold))]
      part_size=SIZE        multipart part size, >= 100K [\(mib(d.partSize))]
      max_prefetch=SIZE     read-ahead memory per open file [\(mib(d.maxPrefetchBytes))]
      direct_io             reads bypass the page cache too: faster one-pass
                            reads, no caching, no shared mmap [off: only
                            write-only opens bypass it]
      staging_dir=DIR       where writes are staged [$TMPDIR or /tmp]
     Data cache (kept across mounts, shareable by several mounts)
      cache_dir=DIR         keep blocks of files read in DIR [off]
      cache_size=SIZE       at most this much in it [no bound but the floor]
      cache_min_free=SIZE   leave this much free on its file system [5%]
     Archive data
      restore_on_open       opening an unrestored Archive/ColdArchive/
                            DeepColdArchive file starts its restore (1 day)
                            and fails with ENODATA [off: reads fail with
                            ENODATA; setfattr -n user.oss.restore -v DAYS]
     Stopping (SIGTERM, SIGINT, SIGHUP, SIGQUIT: upload open files, unmount)
      stop_timeout=SECS     wait at most this long for those uploads; a second
                            signal stops at once [\(seconds(MountSettings.defaultStopTimeout))]
     Metrics and health
      metrics=HOST:PORT     serve Prometheus /metrics and /health (200 when OSS
                            answers with the current credentials, else 503)
                            over HTTP; 127.0.0.1:PORT for loopback only [off]
     Logging
      log_file=FILE         append the log here [stderr with -f, else syslog]
                            (info: mount, unmount, hidden keys, renames,
                            upload failures, unrestored Archive reads;
                            -d adds every OSS request)
     Accepted and ignored (mount(8), fstab)
      rw dev nodev suid nosuid exec noexec auto noauto user nouser users
      owner group _netdev nofail defaults async sync dirsync atime noatime
      relatime norelatime strictatime diratime nodiratime lazytime loud
      silent auto_unmount default_permissions x-* comment=

    EXAMPLES:
      OSS_ACCESS_KEY_ID=... OSS_ACCESS_KEY_SECRET=... ossfuse bkt /mnt/oss
      ossfuse -f -d bkt:/photos /mnt/p -o url=http://127.0.0.1:9000
      mount -t fuse.ossfuse bkt /mnt/oss -o passwd_file=/etc/passwd-ossfuse
        (mount.fuse3 runs the `ossfuse` found on PATH)
      an /etc/fstab line (mount /mnt/oss, or at boot):
        bkt /mnt/oss fuse.ossfuse _netdev,allow_other,passwd_file=FILE,url=URL 0 0
      fusermount3 -u /mnt/oss
    """
}
