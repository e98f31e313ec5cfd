@preconcurrency import Glibc

/// Writes one line to file descriptor 2 with a single `write(2)`.
func printToStandardError(_ line: String) {
    let text = line.hasSuffix("\n") ? line : line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}
