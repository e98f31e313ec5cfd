import Foundation

/// Ties the server's life to whoever started it: tests and scripts keep the write end of the
/// server's standard input open and the kernel closes it when they die, however they die.
enum ParentWatch {
    /// Starts a thread that reads standard input to its end, then ends the process at once, as
    /// `kill -9` would: objects are safe across that (data is renamed into place before its index
    /// row commits), and `exit` would first run atexit handlers (OpenSSL's cleanup among them)
    /// under threads still serving requests, which may never return.
    static func exitOnStandardInputEOF() {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let n = read(STDIN_FILENO, &buffer, buffer.count)
                if n == 0 || (n < 0 && errno != EINTR) { _exit(0) }
            }
        }
    }
}
