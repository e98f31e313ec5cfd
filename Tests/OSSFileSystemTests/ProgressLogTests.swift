import Foundation
import OSSFileSystem
import OSSProtocol
import TestSupport
import Testing

/// Long operations report progress through the logger: directory renames and large uploads.
@Suite struct ProgressLogTests {
    @Test func directoryRenameLogsStartProgressAndEnd() async throws {
        let h = try await Harness(.memory)
        for i in 0..<2500 { try await h.raw.putObject("src/f\(i)", body: .bytes(Data()), options: WriteOptions()) }
        try await h.mv("src", "dst")
        let lines = h.log.lines.filter { $0.hasPrefix("rename src/ -> dst/") }
        #expect(lines.first == "rename src/ -> dst/: 2500 keys to copy")
        #expect(lines.contains("rename src/ -> dst/ copied: 1000/2500 keys"))
        #expect(lines.contains("rename src/ -> dst/ copied: 2000/2500 keys"))
        #expect(lines.last?.hasPrefix("rename src/ -> dst/: done, 2500 keys in ") == true)
        #expect(lines.allSatisfy { $0.utf8.count < 120 })
        #expect(try await h.ls("dst").count == 2500)
    }

    @Test(arguments: Backend.allCases)
    func largeUploadsLogSizePartsAndDuration(_ backend: Backend) async throws {
        var configuration = Harness.defaultConfiguration
        configuration.multipartThreshold = 1 << 20
        configuration.partSize = 512 << 10
        let h = try await Harness(backend, configuration: configuration)
        try await h.write("small", Data(count: 1000))
        #expect(h.log.lines.isEmpty)
        try await h.write("big", Data(count: 3 << 19))
        let line = try #require(h.log.lines.first { $0.hasPrefix("upload big:") })
        #expect(line.contains("1572864 bytes, 3 parts,"))
        #expect(line.hasSuffix(" s"))
    }
}
