import Foundation

/// Ties the server's life to whoever started it: tests and scripts keep the write end of the
/// server's standard input open and the kernel closes it when they die, however they die.
enum ParentWatch {
    /// Starts a thread that reads standard input to its end, then exits the process. Objects are
    /// safe across such an exit: data is renamed into place before its index row commits.
    static func exitOnStandardInputEOF() {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let n = read(STDIN_FILENO, &buffer, buffer.count)
                if n == 0 || (n < 0 && errno != EINTR) { exit(0) }
            }
        }
    }
}
