import Foundation
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// Extended attributes through a real mount, read and written with getfattr/setfattr: the OSS
/// facts of an object read-only under `user.oss.*`, its `x-oss-meta-*` metadata under `user.meta.*`.
final class XAttrMountTests: MountTestCase {
    func testGetfattrShowsOSSFactsAndUserMetadataButNotTheFileSystemsOwnNames() async throws {
        let client = try server.client()
        try await client.putObject("sdk.txt", body: .bytes(Data("hi".utf8)),
                                   options: WriteOptions(userMetadata: ["owner": "alice", "project-id": "42"]))
        let etag = try await client.headObject("sdk.txt").etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let m = try mount()
        XCTAssertEqual(try sh(m, "getfattr -d -m - sdk.txt"), """
            # file: sdk.txt
            user.meta.owner="alice"
            user.meta.project-id="42"
            user.oss.etag="\(etag)"
            user.oss.object_type="Normal"
            user.oss.storage_class="Standard"


            """)
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.oss.etag sdk.txt"), etag)
        // chmod/touch are stored as x-oss-meta-mode/mtime: the file system's names, not offered.
        try sh(m, "printf x > mine && chmod 640 mine && touch -d '2020-01-02 03:04:05 UTC' mine")
        let mine = try sh(m, "getfattr -d -m - mine")
        XCTAssertTrue(mine.contains("user.oss.etag="), mine)
        XCTAssertFalse(mine.contains("user.meta."), mine)
    }

    /// One rule for names that are not UTF-8 (no OSS key can hold one, `UndecodableName`): finding
    /// one finds nothing, an attribute by such a name is absent, making one says EILSEQ; nothing
    /// reaches the bucket.
    func testNamesThatAreNotUTF8FindNothingAndCannotBeCreated() async throws {
        let m = try mount()
        try sh(m, "mkdir d && printf x > d/f")
        let probe = try sh(m, #"""
            python3 -c "
            import os, errno
            bad = b'd/caf\xe9'
            def err(f):
                try: f(); return 'ok'
                except OSError as e: return errno.errorcode[e.errno]
            print(err(lambda: os.stat(bad)), err(lambda: os.unlink(bad)), err(lambda: os.rmdir(bad)),
                  err(lambda: os.rename(bad, b'd/g')))
            print(err(lambda: open(bad, 'wb').close()), err(lambda: os.mkdir(bad)),
                  err(lambda: os.symlink(b'f', bad)), err(lambda: os.symlink(b'caf\xe9', b'd/l')),
                  err(lambda: os.rename(b'd/f', bad)))
            print(err(lambda: os.getxattr(b'd/f', b'user.meta.caf\xe9')),
                  err(lambda: os.removexattr(b'd/f', b'user.meta.caf\xe9')),
                  err(lambda: os.setxattr(b'd/f', b'user.meta.caf\xe9', b'v')))
            "
            """#)
        XCTAssertEqual(probe, """
            ENOENT ENOENT ENOENT ENOENT
            EILSEQ EILSEQ EILSEQ EILSEQ EILSEQ
            ENODATA ENODATA EILSEQ

            """)
        XCTAssertEqual(try keys(), ["d/", "d/f"], "nothing was created")
    }

    /// The kernel lets `user.*` attributes exist only on regular files and directories
    /// (fs/xattr.c answers ENODATA on a symlink without asking the file system), so a link's
    /// `user.oss.symlink_target` cannot be read through any Linux mount. The link's facts are
    /// offered as `trusted.oss.*` instead (root): `getfattr -h` shows the raw target key there and no
    /// unreadable user.* name, `getfattr` without -h shows the target's attributes, and readlink
    /// gives the POSIX text.
    func testLinksShowTheirTargetsAttributesWhenFollowedAndNoUnreadableNames() async throws {
        let client = try server.client()
        try await client.putObject("dir/target", body: .bytes(Data("t".utf8)),
                                   options: WriteOptions(userMetadata: ["owner": "bob"]))
        try await client.putSymlink("dir/link", target: "dir/target", options: WriteOptions())
        let m = try mount()
        XCTAssertEqual(try sh(m, "readlink dir/link"), "target\n")
        let unfollowed = try m.run("getfattr -h -d -m - dir/link")
        XCTAssertEqual(unfollowed.status, 0, unfollowed.description)
        XCTAssertEqual(unfollowed.stderr, "", "user.* names offered on a link cannot be read")
        XCTAssertTrue(unfollowed.stdout.contains("trusted.oss.symlink_target=\"dir/target\""), unfollowed.stdout)
        XCTAssertTrue(unfollowed.stdout.contains("trusted.oss.object_type=\"Symlink\""), unfollowed.stdout)
        XCTAssertFalse(unfollowed.stdout.contains("user."), unfollowed.stdout)
        let probe = try sh(m, """
            python3 -c "import os, errno
            try: os.getxattr('dir/link', 'user.oss.symlink_target', follow_symlinks=False)
            except OSError as e: print(errno.errorcode[e.errno])"
            """)
        XCTAssertEqual(probe, "ENODATA\n")
        let followed = try sh(m, "getfattr -d -m - dir/link")
        XCTAssertTrue(followed.contains("user.meta.owner=\"bob\"") && followed.contains("user.oss.object_type=\"Normal\""),
                      followed)
    }

    func testSetfattrPersistsAsUserMetadataAndSetfattrXRemovesIt() async throws {
        let client = try server.client()
        let m = try mount()
        try sh(m, "printf data > f && setfattr -n user.meta.color -v blue f && setfattr -n user.meta.size -v XL f")
        try sh(m, "mkdir dir && setfattr -n user.meta.owner -v carol dir")
        let marker = try await client.headObject("dir/").userMetadata
        XCTAssertEqual(marker["owner"], "carol", "a directory's metadata lives on its marker object")
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.meta.color f"), "blue")
        var stored = try await client.headObject("f").userMetadata
        XCTAssertEqual(stored["color"], "blue")
        XCTAssertEqual(stored["size"], "XL")
        try m.remount()
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.meta.color f"), "blue")
        XCTAssertEqual(try sh(m, "cat f"), "data", "the data must survive a metadata change")
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.meta.owner dir"), "carol")

        try sh(m, "setfattr -x user.meta.color f")
        stored = try await client.headObject("f").userMetadata
        XCTAssertNil(stored["color"])
        XCTAssertEqual(stored["size"], "XL")
        try m.remount()
        let gone = try m.run("getfattr -n user.meta.color f")
        XCTAssertNotEqual(gone.status, 0, gone.description)
        XCTAssertTrue(gone.stderr.contains("No such attribute"), gone.stderr)
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.meta.size f; cat f"), "XLdata")
    }

    /// Exact errnos: the OSS facts and the file system's own metadata names are EPERM; a name OSS
    /// cannot store is EINVAL; removing an absent one is ENODATA. Nothing is written.
    func testOSSFactsAndReservedNamesCannotBeChanged() async throws {
        let m = try mount()
        try sh(m, "printf x > f")
        let etag = try sh(m, "getfattr --only-values -n user.oss.etag f")
        let errnos = try sh(m, """
            python3 -c "import os, errno
            def attempt(label, call):
                try: call(); print(label, 'ok')
                except OSError as e: print(label, errno.errorcode[e.errno])
            attempt('set user.oss.etag', lambda: os.setxattr('f', 'user.oss.etag', b'x'))
            attempt('set user.oss.storage_class', lambda: os.setxattr('f', 'user.oss.storage_class', b'IA'))
            attempt('remove user.oss.etag', lambda: os.removexattr('f', 'user.oss.etag'))
            attempt('set user.meta.mode', lambda: os.setxattr('f', 'user.meta.mode', b'777'))
            attempt('set user.meta.Bad_Name', lambda: os.setxattr('f', 'user.meta.Bad_Name', b'v'))
            attempt('remove user.meta.absent', lambda: os.removexattr('f', 'user.meta.absent'))"
            """)
        XCTAssertEqual(errnos, """
            set user.oss.etag EPERM
            set user.oss.storage_class EPERM
            remove user.oss.etag EPERM
            set user.meta.mode EPERM
            set user.meta.Bad_Name EINVAL
            remove user.meta.absent ENODATA

            """)
        let cli = try m.run("setfattr -n user.oss.storage_class -v IA f")
        XCTAssertNotEqual(cli.status, 0)
        XCTAssertTrue(cli.stderr.contains("Operation not permitted"), cli.stderr)
        XCTAssertEqual(try sh(m, "getfattr --only-values -n user.oss.etag f"), etag, "a refused change wrote something")
        let stored = try await server.client().headObject("f").userMetadata
        XCTAssertNotEqual(stored["mode"], "777", "the refused mode was stored")
    }
}
