import CFuse3

/// The `fuse_lowlevel_ops` table: C function pointers (non-capturing closures) forwarding to
/// `FUSECallbacks`. Defined outside `main.swift` so nothing here is main-actor isolated: libfuse
/// calls these on its own worker threads.
enum LowLevelOperations {
    static func make() -> fuse_lowlevel_ops {
        var ops = fuse_lowlevel_ops()
        ops.`init` = { FUSECallbacks.initialize($0, $1) }
        ops.lookup = { FUSECallbacks.lookup($0!, $1, $2) }
        ops.forget = { FUSECallbacks.forget($0!, $1, $2) }
        ops.forget_multi = { FUSECallbacks.forgetMulti($0!, $1, $2) }
        ops.getattr = { req, ino, _ in FUSECallbacks.getattr(req!, ino) }
        ops.setattr = { FUSECallbacks.setattr($0!, $1, $2, $3, $4) }
        ops.readlink = { FUSECallbacks.readlink($0!, $1) }
        ops.symlink = { FUSECallbacks.symlink($0!, $1, $2, $3) }
        ops.mknod = { req, parent, name, mode, rdev in FUSECallbacks.mknod(req!, parent, name, mode, rdev) }
        ops.mkdir = { FUSECallbacks.mkdir($0!, $1, $2, $3) }
        ops.unlink = { FUSECallbacks.unlink($0!, $1, $2) }
        ops.rmdir = { FUSECallbacks.rmdir($0!, $1, $2) }
        ops.rename = { FUSECallbacks.rename($0!, $1, $2, $3, $4, $5) }
        // Hard links cannot be expressed in OSS: EPERM, as on file systems without them.
        ops.link = { req, _, _, _ in FUSERequest(req!, operation: "link").replyError(EPERM) }
        ops.open = { FUSECallbacks.open($0!, $1, $2) }
        ops.create = { FUSECallbacks.create($0!, $1, $2, $3, $4) }
        ops.read = { FUSECallbacks.read($0!, $1, $2, $3, $4) }
        ops.write = { FUSECallbacks.write($0!, $1, $2, $3, $4, $5) }
        ops.flush = { FUSECallbacks.flush($0!, $1, $2) }
        ops.fsync = { FUSECallbacks.fsync($0!, $1, $2, $3) }
        ops.release = { FUSECallbacks.release($0!, $1, $2) }
        ops.opendir = { FUSECallbacks.opendir($0!, $1, $2) }
        ops.readdir = { FUSECallbacks.readdir($0!, $1, $2, $3, $4, plus: false) }
        ops.readdirplus = { FUSECallbacks.readdir($0!, $1, $2, $3, $4, plus: true) }
        ops.releasedir = { FUSECallbacks.releasedir($0!, $1, $2) }
        ops.statfs = { FUSECallbacks.statfs($0!, $1) }
        ops.access = { FUSECallbacks.access($0!, $1, $2) }
        ops.getxattr = { FUSECallbacks.getxattr($0!, $1, $2, $3) }
        ops.listxattr = { FUSECallbacks.listxattr($0!, $1, $2) }
        ops.setxattr = { FUSECallbacks.setxattr($0!, $1, $2, $3, $4, $5) }
        ops.removexattr = { FUSECallbacks.removexattr($0!, $1, $2) }
        return ops
    }
}
