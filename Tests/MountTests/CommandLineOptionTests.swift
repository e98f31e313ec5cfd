import Foundation
import OSSClient
import TestSupport
import XCTest

/// Options that change what the mount shows, and the help/version output.
final class CommandLineOptionTests: MountTestCase {
    func testUidGidAndUmaskApplyToObjectsWithoutStoredOwnership() async throws {
        let client = try server.client()
        try await client.putObject("plain", body: .bytes(Data("p".utf8)), options: WriteOptions())
        try await client.putObject("dir/inner", body: .bytes(Data("i".utf8)), options: WriteOptions())
        let m = try mount(options: ["uid=1234", "gid=5678", "umask=027"])
        XCTAssertEqual(try sh(m, "stat -c '%u %g %a' plain dir"), "1234 5678 640\n1234 5678 750\n")
        XCTAssertEqual(try sh(m, "ls -ln plain | awk '{print $3, $4}'"), "1234 5678\n")
    }

    func testSignatureV1AndTuningOptionsMountAndWork() throws {
        let m = try mount(options: ["sigv1", "parallelism=4", "max_background=8", "attr_timeout=0.5",
                                    "negative_timeout=0", "part_size=5M", "multipart_threshold=6M", "max_prefetch=8M"])
        try local("head -c 13M /dev/urandom > big")
        try sh(m, "cp \(q(scratch + "/big")) big && ln -s big l && mkdir d")
        XCTAssertEqual(try sh(m, "sha256sum < l"), try local("sha256sum < big"))
        XCTAssertEqual(try sh(m, "ls"), "big\nd\nl\n")
    }

    func testHelpListsEveryOptionWithItsDefault() throws {
        let help = try MountCommand.run(MountCommand.ossfuseBinary.path, ["--help"])
        XCTAssertEqual(help.status, 0)
        for option in ["url=", "region=", "sigv1", "passwd_file=", "attr_timeout=", "negative_timeout=", "allow_other",
                       "uid=", "gid=", "umask=", "ro ", "nosymfollow", "max_background=", "parallelism=", "log_file=",
                       "[60]", "[5]", "https://oss-cn-hangzhou.aliyuncs.com", "_netdev", "-f ", "-d "] {
            XCTAssertTrue(help.stdout.contains(option), "--help does not mention \(option)")
        }
        let version = try MountCommand.run(MountCommand.ossfuseBinary.path, ["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("ossfuse "), version.stdout)
    }

    func testBadOptionValuesAreOneSentenceErrors() throws {
        let mountPoint = scratch + "/mnt"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        for (option, expected) in [("attr_timeout=soon", "attr_timeout must be a number of seconds"),
                                   ("umask=999", "umask must be"), ("url=ftp://x", "is not an http:// or https:// URL"),
                                   ("ro=1", "option 'ro' takes no value"), ("uid", "option 'uid' needs a value")] {
            let result = try MountCommand.run(MountCommand.ossfuseBinary.path, ["test", mountPoint, "-o", option])
            XCTAssertNotEqual(result.status, 0, option)
            XCTAssertTrue(result.stderr.contains(expected), "\(option): \(result.stderr)")
            XCTAssertFalse(MountTable.isFuseMount(mountPoint))
        }
    }
}
