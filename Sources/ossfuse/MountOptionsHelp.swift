/// The MOUNT OPTIONS section of `--help`, grouped, with defaults.
enum MountOptionsHelp {
    static let text = """
    MOUNT OPTIONS (-o opt[,opt...], repeatable):
      Endpoint and credentials:
        url=URL              OSS endpoint (default \(MountSettings.defaultEndpoint))
        region=REGION        region for V4 signing (default: from an oss-REGION.aliyuncs.com url, else cn-hangzhou)
        sigv1                sign requests with OSS signature V1 (default V4)
        passwd_file=FILE     credentials file: bucket:id:secret or id:secret lines; must be chmod 600
                             (default: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN
                             from the environment, else /etc/passwd-ossfuse)
      Caching and consistency:
        attr_timeout=SECS    how long attributes, names and link texts are trusted (default 60)
        negative_timeout=SECS  how long "no such file" is trusted (default 5)
      Ownership and access:
        uid=N, gid=N         owner of every file (default: the mounting user)
        umask=OCTAL          permission bits removed from files without a stored mode (default 022)
        allow_other          let other users use the mount (root, or user_allow_other in /etc/fuse.conf)
        ro                   read-only mount (writes fail with EROFS)
        nosymfollow          the kernel does not follow symlinks on this mount (readlink still works)
      Performance:
        parallelism=N        parallel OSS requests (prefetch, multipart, link targets) (default 16)
        max_background=N     requests the kernel keeps in flight (default 64)
        multipart_threshold=SIZE  upload with multipart from this size (default 32M)
        part_size=SIZE       multipart part size (default 16M, at least 100K)
        max_prefetch=SIZE    read-ahead memory per open file (default 256M)
        staging_dir=DIR      where written files are staged before upload (default $TMPDIR or /tmp)
      Logging:
        log_file=FILE        log here (default: stderr with -f, nowhere in the background)
      Ignored (for mount(8) and fstab): rw, dev, nodev, suid, nosuid, exec, noexec, auto, noauto, user,
        nouser, users, _netdev, nofail, defaults, async, sync, atime, noatime, relatime, x-*, comment=...

    EXAMPLES:
      OSS_ACCESS_KEY_ID=... OSS_ACCESS_KEY_SECRET=... ossfuse my-bucket /mnt/oss
      ossfuse -f -d my-bucket:/photos /mnt/photos -o url=http://127.0.0.1:9000,attr_timeout=5
      mount -t fuse.ossfuse my-bucket /mnt/oss -o passwd_file=/etc/passwd-ossfuse   (ossfuse must be on PATH)
    """
}
