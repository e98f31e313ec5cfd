import Foundation
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// Issue 13, "POSIX attributes that are always true": owners, modes, times, inode numbers and file
/// types as stored on the object, whichever path produced the answer, and permissions that hold
/// for other users of an `allow_other` mount exactly as on a local disk. Runs as root; other users
/// are played by `nobody` (65534:65534) through `setpriv`.
final class PosixAttributesMountTests: MountTestCase {
    /// `stat` line used throughout: name, symbolic mode, owner, group, whole-second mtime.
    private let statLine = "stat -c '%n %A %u %g %Y'"

    /// Runs `command` as nobody in the mount; fails the test unless it succeeds.
    @discardableResult
    private func nobody(_ m: MountedBucket, _ command: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try m.run(asUser: OtherUser.nobody.uid, command)
        XCTAssertEqual(result.status, 0, "as nobody: `\(command)` failed: \(result)\nossfuse log:\n\(m.log)", file: file, line: line)
        return result.stdout
    }

    /// For each path, "PATH readable" or "PATH <error>" when `cat` by nobody fails (e.g. "Permission denied").
    private func catAsNobody(_ m: MountedBucket, _ paths: [String]) throws -> String {
        try m.run(asUser: OtherUser.nobody.uid, paths.map { path in
            "if out=$(cat \(q(path)) 2>&1 >/dev/null); then echo \(q(path)) readable; else echo \(q(path)) \"${out##*: }\"; fi"
        }.joined(separator: "\n")).stdout
    }

    /// The x-oss-meta-* of `key` as the SDK sees it.
    private func storedMetadata(_ key: String) async throws -> [String: String] {
        try await server.client().headObject(key).userMetadata
    }

    private func posix(mode: Int, uid: Int = 65534, gid: Int = 65534, mtime: String = "1577934245") -> WriteOptions {
        WriteOptions(userMetadata: ["mode": String(mode), "uid": String(uid), "gid": String(gid), "mtime": mtime])
    }

    // MARK: exact metadata and the listing-only mode

    /// Item "exact metadata" (issue 13 items 1, 2 and "What to build"): entries answered from a
    /// listing (readdirplus, lookups answered by a lookup burst's listing), renamed entries and
    /// entries after a remount all show the stored mode/uid/gid/mtime, as objects written by
    /// ossfs 1.x / s3fs carry them.
    func testListingsLookupBurstsAndRenamesShowStoredAttributes() async throws {
        let client = try server.client()
        _ = try await client.putObject("f600", body: .bytes(Data("x".utf8)), options: posix(mode: 0o100600))
        _ = try await client.putObject("d/", body: .bytes(Data()), options: posix(mode: 0o40750))
        for name in ["a", "b", "c", "d", "e", "f"] {
            _ = try await client.putObject("d/\(name)", body: .bytes(Data(name.utf8)),
                                           options: posix(mode: 0o100640, uid: 1000, gid: 1000))
        }
        _ = try await client.putObject("r/g", body: .bytes(Data("g".utf8)), options: posix(mode: 0o100600))
        let m = try mount()
        let top = "f600 -rw------- 65534 65534 1577934245\nd drwxr-x--- 65534 65534 1577934245\n"
        let inner = ["a", "b", "c", "d", "e", "f"].map { "d/\($0) -rw-r----- 1000 1000 1577934245\n" }.joined()
        // readdirplus: the attributes the kernel caches from `ls -l` are what stat shows next.
        XCTAssertEqual(try sh(m, "ls -l > /dev/null && \(statLine) f600 d"), top, "after a listing (readdirplus)")
        // Cold lookups by name in one directory: the third starts a burst listing that answers the rest.
        XCTAssertEqual(try sh(m, "\(statLine) d/a d/b d/c d/d d/e d/f"), inner, "lookups answered by a burst listing")
        try sh(m, "mv f600 moved && mv r/g r/h")
        XCTAssertEqual(try sh(m, "\(statLine) moved r/h"),
                       "moved -rw------- 65534 65534 1577934245\nr/h -rw------- 65534 65534 1577934245\n", "after a rename")
        try m.remount()
        XCTAssertEqual(try sh(m, "ls -l > /dev/null && ls -l d r > /dev/null && \(statLine) moved d d/a d/b d/c d/d d/e d/f r/h"),
                       "moved -rw------- 65534 65534 1577934245\nd drwxr-x--- 65534 65534 1577934245\n" + inner
                       + "r/h -rw------- 65534 65534 1577934245\n", "after a remount, from listings")
    }

    /// Item "listing_only" (issue 13 "What to build"): the cheap listing-only mode is an explicit
    /// opt-in that shows listing facts and default modes without a HEAD per entry, and is refused
    /// together with `allow_other` with one line naming both options.
    func testListingOnlyIsAnOptInRefusedWithAllowOther() async throws {
        let refusedPoint = scratch + "/refused"
        try FileManager.default.createDirectory(atPath: refusedPoint, withIntermediateDirectories: true)
        let refused = try MountCommand.run(
            MountCommand.ossfuseBinary.path,
            [server.bucket, refusedPoint, "-o", "url=\(server.endpoint.absoluteString),listing_only,allow_other"],
            environment: ["OSS_ACCESS_KEY_ID": server.accessKeyId, "OSS_ACCESS_KEY_SECRET": server.accessKeySecret],
            timeout: 60)
        let wasMounted = MountTable.isFuseMount(refusedPoint)
        if wasMounted { _ = try? MountCommand.run("/bin/fusermount3", ["-u", "-z", refusedPoint], timeout: 60) }
        XCTAssertFalse(wasMounted, "listing_only,allow_other mounted")
        XCTAssertNotEqual(refused.status, 0, refused.description)
        let lines = refused.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        XCTAssertEqual(lines.count, 1, "one line expected: \(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("listing_only") && refused.stderr.contains("allow_other"),
                      "the refusal must name both options: \(refused.stderr)")

        let client = try server.client()
        for i in 1...5 { _ = try await client.putObject("dir/f\(i)", body: .bytes(Data("x".utf8)), options: posix(mode: 0o100600)) }
        let m = try mount(options: ["listing_only", "attr_timeout=600"])
        try sh(m, "stat . > /dev/null")
        let before = try server.stats()
        let listing = try sh(m, "ls -ln --time-style=+%s dir | awk 'NR > 1 {print $1, $3}'")
        let heads = try server.stats()["HeadObject", default: 0] - before["HeadObject", default: 0]
        XCTAssertLessThanOrEqual(heads, 2, "listing_only: ls -l of 5 entries made \(heads) HeadObject requests")
        XCTAssertEqual(listing, String(repeating: "-rw-r--r-- 0\n", count: 5), "listing_only shows default modes and owners")
    }

    // MARK: owners

    /// Issue 13 item 3: what uid 65534 creates through an `allow_other` mount belongs to it (stored
    /// as x-oss-meta-uid/gid, shown also after a remount), and it can then append to, chmod and
    /// create files inside what it made.
    func testFilesDirectoriesAndLinksBelongToTheUserWhoMadeThem() async throws {
        let m = try mount(options: ["allow_other"])
        try sh(m, "mkdir pub && chmod 1777 pub")
        try nobody(m, "cd pub && echo a > f && mkdir d && ln -s f l")
        let owners = "stat -c '%n %u %g' pub/f pub/d pub/l"
        let expected = "pub/f 65534 65534\npub/d 65534 65534\npub/l 65534 65534\n"
        XCTAssertEqual(try sh(m, owners), expected, "owners in the mount that made them")
        let file = try await storedMetadata("pub/f"), marker = try await storedMetadata("pub/d/")
        let link = try await server.client().getSymlink("pub/l").userMetadata
        for (name, stored) in [("pub/f", file), ("pub/d/", marker), ("pub/l", link)] {
            XCTAssertEqual(stored["uid"], "65534", "x-oss-meta-uid of \(name): \(stored)")
            XCTAssertEqual(stored["gid"], "65534", "x-oss-meta-gid of \(name): \(stored)")
        }
        XCTAssertEqual(try nobody(m, "echo b >> pub/f && chmod 600 pub/f && echo c > pub/d/g && cat pub/f pub/d/g"), "a\nb\nc\n")
        try m.remount()
        XCTAssertEqual(try sh(m, owners + " pub/d/g"), expected + "pub/d/g 65534 65534\n", "owners after a remount")
        XCTAssertEqual(try sh(m, "stat -c %a pub/f"), "600\n")
        XCTAssertEqual(try nobody(m, "echo d >> pub/f && chmod 640 pub/f && echo e > pub/d/h && cat pub/f"), "a\nb\nd\n")
    }

    // MARK: times

    /// Issue 13 items 6 and 10 (times): mtimes keep nanoseconds, stored as "SECONDS.NNNNNNNNN"
    /// (the seconds are what s3fs / ossfs 1.x parse), ctime is stored too, whole-second objects
    /// written by s3fs read back with .000000000; all also after a remount.
    func testTimesKeepNanosecondsInAFormS3fsReads() async throws {
        _ = try await server.client().putObject("s3fs", body: .bytes(Data("s".utf8)), options: posix(mode: 0o100644))
        let m = try mount()
        try sh(m, """
            printf x > f && printf y > g && mkdir d && touch -d '2020-01-02 03:04:05.544915234 UTC' f d \
            && touch -d '2020-01-02 03:04:05.2 UTC' g
            """)
        let times = "TZ=UTC stat -c '%n %y' f g d s3fs"
        let expected = """
            f 2020-01-02 03:04:05.544915234 +0000
            g 2020-01-02 03:04:05.200000000 +0000
            d 2020-01-02 03:04:05.544915234 +0000
            s3fs 2020-01-02 03:04:05.000000000 +0000

            """
        XCTAssertEqual(try sh(m, times), expected, "in the mount that set them")
        let f = try await storedMetadata("f"), g = try await storedMetadata("g"), d = try await storedMetadata("d/")
        XCTAssertEqual(f["mtime"], "1577934245.544915234", "\(f)")
        XCTAssertEqual(g["mtime"], "1577934245.200000000", "\(g)")
        XCTAssertEqual(d["mtime"], "1577934245.544915234", "\(d)")
        let format = try NSRegularExpression(pattern: "^[0-9]+(\\.[0-9]{9})?$")
        for (name, stored) in [("f", f), ("g", g)] {
            let ctime = stored["ctime"] ?? ""
            XCTAssertNotNil(format.firstMatch(in: ctime, range: NSRange(ctime.startIndex..., in: ctime)),
                            "x-oss-meta-ctime of \(name) must be SECONDS or SECONDS.NNNNNNNNN: \(stored)")
        }
        try m.remount()
        XCTAssertEqual(try sh(m, times), expected, "after a remount (lookups)")
        try m.remount()
        XCTAssertEqual(try sh(m, "ls -l > /dev/null && " + times), expected, "after a remount (readdirplus)")
    }

    /// Issue 13 item 10: ctime moves on chmod, chown and rename; a directory's mtime and ctime move
    /// when entries are added or removed through this mount; O_TRUNC and ftruncate show the new
    /// mtime in `stat` at once. Times are set in the past first, so "moved" never depends on the clock.
    func testCtimeAndDirectoryTimesMoveAndTruncationUpdatesMtimeAtOnce() async throws {
        let m = try mount()
        try sh(m, """
            for f in f1 f2 f3 t1 t2; do printf 0123456789 > $f; done && mkdir d1 d2 && printf x > d2/old \
            && touch -d '2020-01-02 03:04:05 UTC' f1 f2 f3 t1 t2 d1 d2
            """)
        let times = "stat -c '%n %Y %.9Z'"
        let before = try sh(m, "\(times) f1 f2 f3 d1 d2").split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(before.map { String($0[1]) }, Array(repeating: "1577934245", count: 5))
        usleep(1_100_000)  // so that a change is visible even at whole-second resolution
        try sh(m, "chmod 600 f1 && chown 65534:65534 f2 && mv f3 f3b && printf n > d1/new && rm d2/old")
        let after = try sh(m, "\(times) f1 f2 f3b d1 d2").split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(after.count, 5)
        for (old, new) in zip(before, after) {
            let name = String(new[0])
            if name.hasPrefix("d") {
                XCTAssertNotEqual(new[1], old[1], "\(name): the directory's mtime did not move when an entry changed")
            } else {
                XCTAssertEqual(new[1], old[1], "\(name): a metadata change moved the mtime")
            }
            XCTAssertGreaterThan(Double(new[2]) ?? 0, Double(old[2]) ?? .infinity, "\(name): ctime did not move (\(old) -> \(new))")
        }
        let stored = try await storedMetadata("f1")
        XCTAssertNotNil(stored["ctime"], "chmod must store ctime (x-oss-meta-ctime): \(stored)")
        let changed = try sh(m, "\(times) f1 f2")

        // Truncation: `: > t1` opens with O_TRUNC; t2 is cut by ftruncate on a descriptor.
        try sh(m, ": > t1 && python3 -c \"import os; fd = os.open('t2', os.O_RDWR); os.ftruncate(fd, 3); os.close(fd)\"")
        XCTAssertEqual(try sh(m, "stat -c %s t1 t2"), "0\n3\n")
        let truncated = try sh(m, "stat -c '%n %Y' t1 t2")
        XCTAssertFalse(truncated.contains("1577934245"), "O_TRUNC / ftruncate left the old mtime in stat: \(truncated)")
        try m.remount()
        XCTAssertEqual(try sh(m, "\(times) f1 f2"), changed, "the ctime of a chmod/chown is the stored one after a remount")
    }

    // MARK: permissions checked as a local disk does

    /// Issue 13 item 4: ftruncate through a descriptor opened for writing succeeds even when the
    /// file's mode denies writing (permission was checked at open), as on a local disk.
    func testFtruncateThroughAWritableDescriptorIgnoresTheMode() throws {
        let m = try mount(options: ["allow_other"])
        let script = """
            python3 -c "import os
            fd = os.open('pub/z', os.O_CREAT | os.O_WRONLY, 0o000)
            os.ftruncate(fd, 10)
            os.write(fd, b'abc')
            os.close(fd)
            st = os.stat('pub/z')
            print(st.st_size, oct(st.st_mode & 0o7777))"
            """
        try local("mkdir pub && chmod 1777 pub")
        let onDisk = try OtherUser.shell(script, in: scratch)
        XCTAssertEqual(onDisk.stdout, "10 0o0\n", "local disk baseline: \(onDisk)")
        try sh(m, "mkdir pub && chmod 1777 pub")
        XCTAssertEqual(try nobody(m, script), onDisk.stdout)
        XCTAssertEqual(try sh(m, "head -c 3 pub/z"), "abc")
    }

    /// Issue 13 item 5: a write by a non-owner with write permission succeeds and clears S_ISUID
    /// (and S_ISGID when group-exec is set), for page-cache writes (pc, ng), O_TRUNC opens (tr) and
    /// write-only opens (wo, ap), exactly as on a local disk (the same writes on the scratch
    /// directory give the expected modes); the cleared mode is stored.
    func testWritesByANonOwnerClearSetuidAndSetgidAsOnALocalDisk() throws {
        let m = try mount(options: ["allow_other"])
        let setup = "for f in pc wo ap tr; do printf data > $f; chmod 6777 $f; done && printf data > ng && chmod 6776 ng"
        // Each write on its own, so one failing does not hide the others: "NAME ok" or the error.
        let writes = """
            python3 -c "import os
            for name, flags in [('pc', os.O_RDWR), ('wo', os.O_WRONLY), ('ng', os.O_RDWR)]:
                try:
                    fd = os.open(name, flags); os.write(fd, b'X'); os.close(fd); print(name, 'ok')
                except OSError as e: print(name, e.strerror)"
            { echo x >> ap; } 2>/dev/null && echo ap ok || echo ap failed
            { : > tr; } 2>/dev/null && echo tr ok || echo tr failed
            """
        let allWritten = "pc ok\nwo ok\nng ok\nap ok\ntr ok\n"
        let modes = "stat -c '%n %a' pc wo ap tr ng"
        try local("mkdir disk && cd disk && \(setup)")
        let onDisk = try OtherUser.shell(writes, in: scratch + "/disk")
        XCTAssertEqual(onDisk.stdout, allWritten, "local disk baseline: \(onDisk)")
        let diskModes = try local("cd disk && \(modes)")
        // S_ISGID without group-exec: kept by kernels before 6.2, cleared by later ones when the
        // writer is not in the file's group (nobody is not in root's): whatever this kernel does.
        XCTAssertTrue(diskModes == "pc 777\nwo 777\nap 777\ntr 777\nng 2776\n"
                      || diskModes == "pc 777\nwo 777\nap 777\ntr 777\nng 776\n", "local disk baseline: \(diskModes)")

        try sh(m, setup)
        XCTAssertEqual(try nobody(m, writes), allWritten, "writes by a non-owner")
        XCTAssertEqual(try sh(m, modes), diskModes, "modes after the writes")
        XCTAssertEqual(try sh(m, "cat pc wo ap tr ng"), "Xata" + "Xata" + "datax\n" + "" + "Xata")
        try m.remount()
        XCTAssertEqual(try sh(m, modes), diskModes, "modes after a remount")
    }

    /// Issue 13 item 7: the mode given at open(O_CREAT|O_EXCL, 0600) is the one shown after the
    /// temp file is renamed into place (rsync's pattern), in the same mount.
    func testModeGivenAtExclusiveCreateSurvivesRename() async throws {
        let m = try mount()
        try sh(m, """
            mkdir dst && python3 -c "import os
            fd = os.open('dst/.final.Xy12ab', os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.write(fd, b'secret'); os.close(fd)
            os.rename('dst/.final.Xy12ab', 'dst/final')"
            """)
        XCTAssertEqual(try sh(m, "stat -c '%n %a' dst/final"), "dst/final 600\n")
        XCTAssertEqual(try sh(m, "ls -l dst | awk 'NR > 1 {print $1}'"), "-rw-------\n")
        let stored = try await storedMetadata("dst/final")
        XCTAssertEqual(stored["mode"], String(0o100600), "x-oss-meta-mode: \(stored)")
    }

    /// Issue 13 items 1 and 2: chmod 600 keeps nobody out after a remount, at the top level and
    /// in a subdirectory, whether the names were listed first (readdirplus) or looked up cold
    /// (lookup bursts), exactly as on a local disk: Permission denied.
    func testChmod600KeepsOtherUsersOutAfterARemount() throws {
        let m = try mount(options: ["allow_other"])
        let files = ["f"] + (1...6).map { "sub/s\($0)" }
        try sh(m, "mkdir sub && for f in \(files.joined(separator: " ")); do echo secret > $f && chmod 600 $f; done")
        let denied = files.map { "\($0) Permission denied\n" }.joined()
        XCTAssertEqual(try catAsNobody(m, files), denied, "in the mount that made them")
        try m.remount()
        XCTAssertEqual(try nobody(m, "ls -l . sub | grep -c '^-rw------- '"), "7\n", "ls -l after a remount")
        XCTAssertEqual(try catAsNobody(m, files), denied, "after a remount, listed first")
        try m.remount()
        XCTAssertEqual(try catAsNobody(m, files), denied, "after a remount, cold lookups")
        XCTAssertEqual(try sh(m, "cat f sub/s6"), "secret\nsecret\n", "the owner still reads them")
    }

    /// Issue 13 item 2: the editor pattern (write a temp file, chmod 600, rename it over the
    /// original), repeated, never makes the file readable to another user; and the real owner can
    /// do the same in a sticky directory (no EPERM from a wrong owner), also after a remount.
    func testRenameOverAnExistingFileKeepsModeAndOwner() throws {
        let m = try mount(options: ["allow_other"])
        try sh(m, "echo v0 > doc && chmod 600 doc && mkdir st && chmod 1777 st")
        var readable: [Int] = []
        for i in 1...12 {
            try sh(m, "echo v\(i) > .doc.tmp && chmod 600 .doc.tmp && mv -f .doc.tmp doc")
            if try catAsNobody(m, ["doc"]) != "doc Permission denied\n" { readable.append(i) }
        }
        XCTAssertEqual(readable, [], "a 0600 file became readable to nobody after these renames")
        XCTAssertEqual(try sh(m, "stat -c '%a %u' doc; cat doc"), "600 0\nv12\n")
        let editor = (1...4).map { "echo w\($0) > .mine.tmp && chmod 600 .mine.tmp && mv -f .mine.tmp mine" }.joined(separator: " && ")
        XCTAssertEqual(try nobody(m, "cd st && echo w0 > mine && \(editor) && cat mine && stat -c '%a %u' mine"), "w4\n600 65534\n")
        try m.remount()
        XCTAssertEqual(try catAsNobody(m, ["doc"]), "doc Permission denied\n", "after a remount")
        XCTAssertEqual(try nobody(m, "cd st && echo w5 > .mine.tmp && mv -f .mine.tmp mine && cat mine"), "w5\n")
    }

    // MARK: inode numbers and special files

    /// Issue 13 item 8: st_ino of a key stays the same when the kernel drops its dentries and
    /// across a remount, and readdir's d_ino (`ls -i`, scandir) equals `stat`'s.
    func testInodeNumbersStayAcrossDroppedCachesAndRemounts() throws {
        let m = try mount()
        try sh(m, "mkdir d && printf a > d/a && printf b > b && ln -s b l && mkdir d/e")
        let inodes = "stat -c '%n %i' b d d/a d/e l"
        let first = try sh(m, inodes)
        try sh(m, "sync && echo 2 > /proc/sys/vm/drop_caches")
        XCTAssertEqual(try sh(m, inodes), first, "after the kernel dropped its dentries")
        let readdir = """
            python3 -c "import os
            for d in ['.', 'd']:
                for e in sorted(os.scandir(d), key=lambda e: e.name):
                    st = os.lstat(e.path); print(e.path, e.inode() == st.st_ino, e.inode(), st.st_ino)"
            """
        let expectedReaddir = ["./b", "./d", "./l", "d/a", "d/e"].map { "\($0) True" }
        func readdirMatches() throws -> [String] {
            try sh(m, readdir).split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        }
        let afterDrop = try sh(m, readdir)
        XCTAssertEqual(try readdirMatches(), expectedReaddir, "d_ino differs from st_ino: \(afterDrop)")
        XCTAssertEqual(try sh(m, "ls -i . | awk '$2 == \"b\" {print $1}'"), try sh(m, "stat -c %i b"), "ls -i differs from stat")
        try m.remount()
        XCTAssertEqual(try sh(m, inodes), first, "after a remount")
        let afterRemount = try sh(m, readdir)
        XCTAssertEqual(try readdirMatches(), expectedReaddir, "d_ino differs from st_ino after a remount: \(afterRemount)")
    }

    /// Issue 13 item 9: mkfifo, mknod (character and block devices) and a bound unix socket create
    /// empty objects whose x-oss-meta-mode carries the type (x-oss-meta-rdev the device number),
    /// shown by stat also after a remount.
    func testFifosDevicesAndSocketsAreStoredWithTheirType() async throws {
        // As ossfs 1.x / s3fs store them: an empty object, the type in the mode, the device in rdev.
        let client = try server.client()
        _ = try await client.putObject("s3fs-fifo", body: .bytes(Data()), options: WriteOptions(userMetadata: ["mode": String(0o10644)]))
        _ = try await client.putObject("s3fs-chr", body: .bytes(Data()),
                                       options: WriteOptions(userMetadata: ["mode": String(0o20600), "rdev": "259"]))
        let m = try mount()
        XCTAssertEqual(try sh(m, "stat -c '%n %F %t %T %a' s3fs-fifo s3fs-chr"),
                       "s3fs-fifo fifo 0 0 644\ns3fs-chr character special file 1 3 600\n", "objects written by s3fs")
        try sh(m, """
            mkfifo -m 640 p && mknod -m 600 c c 1 3 && mknod -m 660 b b 7 0 \
            && python3 -c "import os, socket; os.umask(0o022); socket.socket(socket.AF_UNIX).bind('s')"
            """)
        let types = "stat -c '%n %F %t %T %a %s' p c b s"
        let expected = "p fifo 0 0 640 0\nc character special file 1 3 600 0\nb block special file 7 0 660 0\ns socket 0 0 755 0\n"
        XCTAssertEqual(try sh(m, types), expected)
        for (key, type, rdev) in [("p", S_IFIFO, nil), ("c", S_IFCHR, "259"), ("b", S_IFBLK, "1792"), ("s", S_IFSOCK, nil)] {
            let head = try await client.headObject(key)
            XCTAssertEqual(head.contentLength, 0, key)
            let mode = head.userMetadata["mode"].flatMap { UInt32($0) } ?? 0
            XCTAssertEqual(mode & UInt32(S_IFMT), UInt32(type), "x-oss-meta-mode of \(key): \(head.userMetadata)")
            if let rdev { XCTAssertEqual(head.userMetadata["rdev"], rdev, "x-oss-meta-rdev of \(key)") }
        }
        try m.remount()
        XCTAssertEqual(try sh(m, types), expected, "after a remount (lookups)")
        try m.remount()
        XCTAssertEqual(try sh(m, "ls -l | awk 'NR > 1' | cut -c1 | sort | tr -d '\\n'"), "bccpps", "types in ls -l")
        XCTAssertEqual(try sh(m, types), expected, "after a remount (readdirplus)")
    }
}
