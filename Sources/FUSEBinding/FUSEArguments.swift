import CFuse3
import Foundation

/// `argv` for `fuse_session_new`: `strdup`ed C strings that live as long as this object.
final class FUSEArguments {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ arguments: [String]) {
        pointers = arguments.map { strdup($0) }
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }

    /// Calls `body` with a `fuse_args` over the strings; libfuse copies what it keeps.
    func withFuseArgs<R>(_ body: (UnsafeMutablePointer<fuse_args>) -> R) -> R {
        let count = Int32(pointers.count)
        return pointers.withUnsafeMutableBufferPointer { buffer in
            var args = fuse_args(argc: count, argv: buffer.baseAddress, allocated: 0)
            let result = body(&args)
            fuse_opt_free_args(&args)
            return result
        }
    }
}
