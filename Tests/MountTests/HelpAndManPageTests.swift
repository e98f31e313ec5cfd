import Foundation
import TestSupport
import XCTest

/// `--help` and man/ossfuse.1 list the same options; every listed option is accepted; every
/// unknown one is an error that names it.
final class HelpAndManPageTests: XCTestCase {
    private var manPage: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("man/ossfuse.1")
    }

    private func ossfuse(_ arguments: [String]) throws -> CommandResult {
        try MountCommand.run(MountCommand.ossfuseBinary.path, arguments, environment: [:], timeout: 60)
    }

    func testEveryOptionInHelpIsInTheManPageAndViceVersa() throws {
        let help = try ossfuse(["--help"])
        XCTAssertEqual(help.status, 0, help.description)
        let helpNames = OptionLists.fromHelp(help.stdout)
        let manNames = OptionLists.fromManPage(try String(contentsOf: manPage, encoding: .utf8))
        XCTAssertGreaterThan(helpNames.count, 50, "the help parser found too little: \(helpNames.sorted())")
        XCTAssertTrue(helpNames.isSuperset(of: ["-f", "-d", "-o", "--version", "--help", "url=", "stat_listed",
                                                "log_file=", "_netdev", "x-*", "comment="]), "\(helpNames.sorted())")
        XCTAssertEqual(helpNames.subtracting(manNames).sorted(), [], "in --help but not in man/ossfuse.1")
        XCTAssertEqual(manNames.subtracting(helpNames).sorted(), [], "in man/ossfuse.1 but not in --help")
    }

    /// Every mount option --help lists parses (with a sample value): the command fails only
    /// because the mount point does not exist.
    func testEveryListedMountOptionIsAccepted() throws {
        let help = try ossfuse(["--help"])
        let samples = ["url=": "url=http://127.0.0.1:1", "umask=": "umask=027", "staging_dir=": "staging_dir=/tmp",
                       "multipart_threshold=": "multipart_threshold=8M", "part_size=": "part_size=8M",
                       "max_prefetch=": "max_prefetch=8M", "x-*": "x-systemd.automount", "passwd_file=": "passwd_file=/none",
                       "log_file=": "log_file=/tmp/never-written", "addressing=": "addressing=cname",
                       "ecs_metadata_url=": "ecs_metadata_url=http://127.0.0.1:1", "metrics=": "metrics=127.0.0.1:1"]
        let options = OptionLists.fromHelp(help.stdout).filter { !$0.hasPrefix("-") }.sorted().map { name in
            samples[name] ?? (name.hasSuffix("=") ? name + "1" : name)
        }
        let result = try ossfuse(["test", "/nonexistent/ossfuse-mnt", "-o", options.joined(separator: ",")])
        XCTAssertEqual(result.status, 1, result.description)
        XCTAssertEqual(result.stderr, "ossfuse: mount point /nonexistent/ossfuse-mnt does not exist\n", options.joined(separator: ","))
    }

    func testEveryUnknownOptionIsNamedInAnError() throws {
        let mountOptions = try ossfuse(["test", "/tmp", "-o", "ro,frobnicate=1,sigv2", "-o", "allow_others"])
        XCTAssertEqual(mountOptions.status, 64, mountOptions.description)
        XCTAssertTrue(mountOptions.stderr.contains("unknown options 'frobnicate=1', 'sigv2', 'allow_others' (see ossfuse --help)"),
                      mountOptions.stderr)
        let one = try ossfuse(["test", "/tmp", "-o", "stat_listed=yes"])
        XCTAssertTrue(one.stderr.contains("option 'stat_listed' takes no value"), one.stderr)
        for flag in ["--frobnicate", "-x", "--foreground"] {
            let result = try ossfuse([flag, "test", "/tmp"])
            XCTAssertEqual(result.status, 64, "\(flag): \(result)")
            XCTAssertTrue(result.stderr.contains("Unknown option '\(flag)'"), "\(flag): \(result.stderr)")
        }
        let extra = try ossfuse(["test", "/tmp", "surplus"])
        XCTAssertEqual(extra.status, 64, extra.description)
        XCTAssertTrue(extra.stderr.contains("Unexpected argument 'surplus'"), extra.stderr)
    }

    func testVersionIsTheManPagesVersion() throws {
        let version = try ossfuse(["--version"])
        XCTAssertEqual(version.status, 0)
        let number = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "ossfuse ", with: "")
        XCTAssertFalse(number.isEmpty)
        let man = try String(contentsOf: manPage, encoding: .utf8)
        XCTAssertTrue(man.contains("\"ossfuse \(number)\""), "man page .TH does not name version \(number)")
    }
}

/// Option names (`url=`, `sigv1`, `-f`, ...) from the two documents.
enum OptionLists {
    private static let valued = try! NSRegularExpression(pattern: #"^([a-z][a-z0-9_]*=)[A-Z]+$"#)

    /// From `--help`: the MOUNT OPTIONS entries (lines indented by exactly two spaces: the first
    /// word, and every `name=VALUE` word), the ignored-options block, and the flags of OPTIONS.
    static func fromHelp(_ text: String) -> Set<String> {
        var names = Set<String>()
        var section = ""
        var ignoredBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" "), line.hasSuffix(":") || line.hasPrefix("MOUNT OPTIONS") {
                section = line; ignoredBlock = false; continue
            }
            let words = line.split(separator: " ").map(String.init)
            if section.hasPrefix("MOUNT OPTIONS") {
                if line.hasPrefix(" ") && !line.hasPrefix("  ") { ignoredBlock = line.contains("ignored"); continue }
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let first = words.first else { continue }
                if ignoredBlock { names.formUnion(words); continue }
                names.insert(name(first))
                names.formUnion(words.dropFirst().filter { matches($0) }.map(name))
            } else if section == "OPTIONS:", line.hasPrefix("  -") {
                names.formUnion(words.filter { $0.hasPrefix("-") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) })
            }
        }
        return names
    }

    /// From the man page: the `.TP` items of OPTIONS and MOUNT OPTIONS (every `name=` and every
    /// `-flag` on the item line, else its first word), and the words of the no-fill block
    /// (`.nf` ... `.fi`) of "Ignored options".
    static func fromManPage(_ roff: String) -> Set<String> {
        var names = Set<String>()
        var section = "", subsection = ""
        var itemLine = false, noFill = false
        for raw in roff.split(separator: "\n").map(String.init) {
            let line = raw.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\"", with: " ")
            if line.hasPrefix(".SH ") { section = String(line.dropFirst(4)); subsection = ""; continue }
            if line.hasPrefix(".SS ") { subsection = String(line.dropFirst(4)); continue }
            guard section == "OPTIONS" || section == "MOUNT OPTIONS" else { continue }
            if line == ".TP" { itemLine = true; continue }
            if subsection == "Ignored options" {
                if line == ".nf" || line == ".fi" { noFill = line == ".nf"; continue }
                if noFill { names.formUnion(line.split(separator: " ").map(String.init)) }
                continue
            }
            let words = line.split(separator: " ").map(String.init).dropFirst()
            guard itemLine, let first = words.first else { continue }
            itemLine = false
            var found = words.filter { $0.hasPrefix("-") }
            found += line.matches(of: /([a-z][a-z0-9_]*=)/).map { String($0.output.1) }
            names.formUnion(found.isEmpty ? [first] : found)
        }
        return names
    }

    private static func matches(_ word: String) -> Bool {
        valued.firstMatch(in: word, range: NSRange(word.startIndex..., in: word)) != nil
    }

    /// `url=URL` -> `url=`; `sigv1` -> `sigv1`.
    private static func name(_ word: String) -> String {
        if let equals = word.firstIndex(of: "=") { return String(word[...equals]) }
        return word
    }
}
