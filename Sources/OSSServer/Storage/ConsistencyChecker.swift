import Foundation

/// `--check`: compares the index with the data files.
struct ConsistencyReport: Sendable {
    /// Data files no row references.
    var orphans: [String] = []
    /// Referenced data ids without a file.
    var missing: [String] = []
    /// Data files whose size disagrees with the row.
    var sizeMismatches: [String] = []
    /// Temp files left by an interrupted upload (removed at the next start; not an inconsistency).
    var tempFiles: [String] = []

    var isConsistent: Bool { orphans.isEmpty && missing.isEmpty && sizeMismatches.isEmpty }

    /// Human-readable lines, one per finding, then a summary.
    var lines: [String] {
        orphans.map { "orphan data file: \($0)" } + missing.map { "missing data file: \($0)" }
            + sizeMismatches.map { "size mismatch: \($0)" } + tempFiles.map { "leftover temp file: \($0)" }
            + ["\(isConsistent ? "consistent" : "INCONSISTENT"): \(orphans.count) orphan(s), \(missing.count) missing, \(sizeMismatches.count) size mismatch(es), \(tempFiles.count) temp file(s)"]
    }
}

/// Runs the `--check` comparison on a store without modifying it.
enum ConsistencyChecker {
    static func check(root: String) throws -> ConsistencyReport {
        let engine = try StorageEngine(root: root, recover: false)
        return try engine.exclusively {
            let files = engine.directory.allDataFiles()
            var report = ConsistencyReport()
            var referenced = Set<String>()
            for ref in try engine.index.dataReferences() {
                referenced.insert(ref.id)
                guard let size = files[ref.id] else { report.missing.append(ref.id); continue }
                if ref.growable ? size < ref.size : size != ref.size {
                    report.sizeMismatches.append("\(ref.id) (index \(ref.size), file \(size))")
                }
            }
            report.orphans = files.keys.filter { !referenced.contains($0) }.sorted()
            report.tempFiles = engine.directory.tempFiles().sorted()
            return report
        }
    }
}
