import Foundation

/// The one rule for names that are not valid UTF-8. OSS keys are UTF-8, so no object can carry
/// such a name, and the mount says so the same way everywhere:
/// - looking one up (lookup, unlink, rmdir, the source of a rename) finds nothing: ENOENT;
/// - an extended attribute by such a name (getxattr, removexattr) is absent: ENODATA;
/// - making anything by such a name (create, mknod, mkdir, symlink and its target, setxattr, the
///   new name of a rename) is refused with EILSEQ ("Invalid or incomplete multibyte or wide
///   character"), as Linux file systems with a fixed name encoding answer (vfat and ntfs3 with
///   utf8, ext4 with strict casefolding).
/// So `stat` and `ls` of such a path say "No such file or directory" and `touch` or `mkdir` say why
/// it cannot be made, instead of a different errno per call.
public enum UndecodableName {
    /// What a request wants to do with the name.
    public enum Use: Sendable {
        case find, readAttribute, create
    }

    /// The errno answered for a name that is not UTF-8, by use.
    public static func errno(for use: Use) -> Int32 {
        switch use {
        case .find: return ENOENT
        case .readAttribute: return ENODATA
        case .create: return EILSEQ
        }
    }

}
