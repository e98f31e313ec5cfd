import Foundation
@preconcurrency import Glibc

/// Per-mount flags libfuse cannot set itself, applied with a bind remount of the live mount.
enum BindRemount {
    // Values from <linux/mount.h>; not all are exported by the Glibc module.
    private static let msReadOnly: UInt = 1
    private static let msNoSuid: UInt = 2
    private static let msNoDev: UInt = 4
    private static let msRemount: UInt = 32
    private static let msNoSymFollow: UInt = 256
    private static let msNoAtime: UInt = 1024
    private static let msBind: UInt = 4096

    /// Adds `nosymfollow` (Linux 5.10+) while keeping the flags libfuse mounted with.
    static func applyNoSymFollow(_ mountPoint: String, readOnly: Bool) throws(FUSESessionError) {
        var flags = msRemount | msBind | msNoSymFollow | msNoSuid | msNoDev | msNoAtime
        if readOnly { flags |= msReadOnly }
        if Glibc.mount(nil, mountPoint, nil, flags, nil) != 0 {
            let reason = String(cString: strerror(errno))
            throw FUSESessionError("cannot apply nosymfollow to \(mountPoint): \(reason) (needs root and Linux 5.10+)")
        }
    }
}
