import Foundation

/// Shell commands run as another local user, for permission tests on `allow_other` mounts: the
/// test runs as root and drops to the user with `setpriv` (real and effective ids, no
/// supplementary groups, no capabilities kept), so the kernel's permission checks apply to it
/// exactly as to a login of that user.
public enum OtherUser {
    /// `nobody`/`nogroup` on Debian and Ubuntu.
    public static let nobody: (uid: UInt32, gid: UInt32) = (65534, 65534)

    /// A login's PATH: the runner's may start with directories under root's home (pyenv, cargo)
    /// that another user cannot enter.
    public static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Runs `command` with bash as `uid`:`gid` in `directory` (which that user must be able to
    /// reach); never throws for a failing command.
    public static func shell(_ command: String, in directory: String, uid: UInt32 = nobody.uid,
                             gid: UInt32 = nobody.gid, timeout: TimeInterval = 120) throws -> CommandResult {
        try MountCommand.run("/usr/bin/setpriv",
                             ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", "/bin/bash", "-c", command],
                             in: directory, environment: ["HOME": "/", "USER": "nobody", "LOGNAME": "nobody",
                                                          "PATH": systemPath],
                             timeout: timeout)
    }
}

extension MountedBucket {
    /// Runs `command` in the mount point as `uid`:`gid` (by default `nobody`); the mount needs
    /// `allow_other` for that user to get in.
    public func run(asUser uid: UInt32 = OtherUser.nobody.uid, gid: UInt32 = OtherUser.nobody.gid,
                    _ command: String, timeout: TimeInterval = 120) throws -> CommandResult {
        try OtherUser.shell(command, in: mountPoint, uid: uid, gid: gid, timeout: timeout)
    }
}
