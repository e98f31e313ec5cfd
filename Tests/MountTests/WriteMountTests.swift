import Foundation
import OSSClient
import OSSProtocol
import TestSupport
import XCTest

/// The write side through a real mount: data integrity, renames, metadata persistence.
final class WriteMountTests: MountTestCase {
    func testSha256OfA5MiBAnd200MiBFile() throws {
        let m = try mount()
        for (name, mebibytes) in [("five", 5), ("two-hundred", 200)] {
            let source = "\(scratch!)/\(name)"
            try local("head -c \(mebibytes)M /dev/urandom > \(name)")
            let expected = try local("sha256sum < \(name)")
            try sh(m, "cp \(q(source)) \(name)")
            XCTAssertEqual(try sh(m, "sha256sum < \(name)"), expected, "read back through this mount")
            XCTAssertEqual(try sh(m, "stat -c %s \(name)"), "\(mebibytes << 20)\n")
            try m.remount()
            XCTAssertEqual(try sh(m, "sha256sum < \(name)"), expected, "read back after a remount")
        }
    }

    func testRandomWritesMatchALocalCopy() throws {
        let m = try mount()
        let script = """
        import os, random, sys
        random.seed(7)
        paths = [sys.argv[1], sys.argv[2]]
        base = os.urandom(3 << 20)
        for p in paths:
            with open(p, 'wb') as f: f.write(base)
        fds = [os.open(p, os.O_RDWR) for p in paths]
        for _ in range(300):
            off = random.randrange(0, 4 << 20); data = os.urandom(random.randrange(1, 70000))
            for fd in fds: os.pwrite(fd, data, off)
        for fd in fds: os.ftruncate(fd, 3500000)
        for fd in fds: os.close(fd)
        """
        try local("cat > rw.py <<'PY'\n\(script)\nPY")
        try sh(m, "python3 \(q(scratch + "/rw.py")) \(q(scratch + "/local.bin")) random.bin")
        XCTAssertEqual(try sh(m, "sha256sum < random.bin"), try local("sha256sum < local.bin"))
        try m.remount()
        XCTAssertEqual(try sh(m, "sha256sum < random.bin"), try local("sha256sum < local.bin"))
        // Overwrite in place, then append.
        try sh(m, "printf XY | dd of=random.bin bs=1 seek=10 conv=notrunc status=none && printf tail >> random.bin")
        try local("printf XY | dd of=local.bin bs=1 seek=10 conv=notrunc status=none && printf tail >> local.bin")
        XCTAssertEqual(try sh(m, "sha256sum < random.bin"), try local("sha256sum < local.bin"))
    }

    func testRenameCases() throws {
        let m = try mount()
        try sh(m, "mkdir -p a/b && printf 1 > a/f && printf 2 > a/b/g && printf 3 > other && ln -s ../other a/l")
        try sh(m, "mv a/f a/f2")
        XCTAssertEqual(try sh(m, "cat a/f2; ls a"), "1b\nf2\nl\n")
        try sh(m, "mv other a/f2")
        XCTAssertEqual(try sh(m, "cat a/f2; test ! -e other && echo gone"), "3gone\n")
        try sh(m, "mv a/l a/b/l")
        XCTAssertEqual(try sh(m, "readlink a/b/l"), "../other\n")
        try sh(m, "mv a renamed")
        XCTAssertEqual(try sh(m, "find renamed | sort"), "renamed\nrenamed/b\nrenamed/b/g\nrenamed/b/l\nrenamed/f2\n")
        XCTAssertEqual(try sh(m, "cat renamed/b/g"), "2")
        try sh(m, "mkdir empty && mkdir full && touch full/x")
        let ontoFull = try m.run("mv -T empty full")
        XCTAssertNotEqual(ontoFull.status, 0, "renaming onto a non-empty directory must fail")
        XCTAssertTrue(ontoFull.stderr.contains("not empty") || ontoFull.stderr.contains("exists"), ontoFull.stderr)
        let noReplace = try m.run("printf n > new && mv --no-clobber new renamed/f2; cat renamed/f2")
        XCTAssertEqual(noReplace.stdout, "3")
        try m.remount()
        XCTAssertEqual(try sh(m, "find . | sort"),
                       ".\n./empty\n./full\n./full/x\n./new\n./renamed\n./renamed/b\n./renamed/b/g\n./renamed/b/l\n./renamed/f2\n")
    }

    func testChmodAndTouchPersistAcrossRemount() throws {
        let m = try mount()
        try sh(m, "printf x > f && mkdir d && chmod 640 f && chmod 750 d && touch -d '2020-01-02 03:04:05 UTC' f")
        XCTAssertEqual(try sh(m, "stat -c '%a %Y' f && stat -c %a d"), "640 1577934245\n750\n")
        try m.remount()
        XCTAssertEqual(try sh(m, "stat -c '%a %Y' f && stat -c %a d"), "640 1577934245\n750\n")
    }

    func testEmptyFileTruncateAndOCreatExcl() throws {
        let m = try mount()
        try sh(m, ": > empty && printf 0123456789 > t && truncate -s 4 t")
        XCTAssertEqual(try sh(m, "stat -c %s empty; cat t"), "0\n0123")
        let excl = try m.run("python3 -c \"import os; os.open('t', os.O_CREAT|os.O_EXCL|os.O_WRONLY)\"")
        XCTAssertNotEqual(excl.status, 0)
        XCTAssertTrue(excl.stderr.contains("FileExistsError"), excl.stderr)
        try m.remount()
        XCTAssertEqual(try sh(m, "stat -c %s empty; cat t"), "0\n0123")
    }

    /// Write-only opens bypass the page cache (FOPEN_DIRECT_IO); readable opens keep it, so a shared
    /// read-only mapping works, and bytes written through a write-only descriptor (in pieces, in
    /// place, appended, by sendfile) are what a reader sees. With `-o direct_io` reads bypass it too:
    /// shared mappings fail with ENODEV, private ones work.
    func testWriteOnlyOpensAndDirectIOMount() throws {
        let script = """
        import errno, mmap, os, shutil, sys
        mode = sys.argv[1]
        data = bytes(range(256)) * (3 << 12) + os.urandom(12345)
        fd = os.open('w.bin', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for i in range(0, len(data), 100000): os.write(fd, data[i:i + 100000])
        os.close(fd)
        r = os.open('w.bin', os.O_RDONLY)
        if mode == 'cached':
            m = mmap.mmap(r, 0, access=mmap.ACCESS_READ)
        else:
            try:
                mmap.mmap(r, 0, access=mmap.ACCESS_READ); print('shared mmap worked'); sys.exit(1)
            except OSError as e:
                assert e.errno == errno.ENODEV, e
            m = mmap.mmap(r, 0, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)
        assert m[:] == data, 'mapped bytes differ'
        w = os.open('w.bin', os.O_WRONLY); os.pwrite(w, b'Z' * 5000, 12295); os.close(w)
        data = data[:12295] + b'Z' * 5000 + data[17295:]
        a = os.open('w.bin', os.O_WRONLY | os.O_APPEND); os.write(a, b'tail'); os.close(a)
        data += b'tail'
        m.close(); os.close(r)
        with open('w.bin', 'rb') as f: got = f.read()
        assert got == data, ('read back differs', len(got), len(data))
        with open(sys.argv[2], 'wb') as f: f.write(data)
        # shutil.copyfile writes with sendfile(2): the kernel's splice path into a write-only file.
        local = sys.argv[2] + '.src'
        with open(local, 'wb') as f: f.write(os.urandom(3 << 20) + b'end')
        shutil.copyfile(local, 'sent.bin')
        with open('sent.bin', 'rb') as f, open(local, 'rb') as g: assert f.read() == g.read(), 'sendfile copy differs'
        print('ok')
        """
        try local("cat > policy.py <<'PY'\n\(script)\nPY")
        for (mode, options) in [("cached", [String]()), ("direct", ["direct_io"])] {
            let m = try mount(options: options)
            XCTAssertEqual(try sh(m, "python3 \(q(scratch + "/policy.py")) \(mode) \(q(scratch + "/expected-" + mode))"), "ok\n", mode)
            try m.remount()
            XCTAssertEqual(try sh(m, "sha256sum < w.bin"), try local("sha256sum < expected-\(mode)"), mode)
            m.unmount()
        }
    }
}
