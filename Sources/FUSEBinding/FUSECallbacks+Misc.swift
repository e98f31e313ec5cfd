import CFuse3
import Foundation
import OSSFileSystem

extension FUSECallbacks {
    /// Connection setup: large transfers, symlink caching, readdirplus, async reads; no writeback
    /// cache (every write reaches the file system, keeping close()'s error semantics simple) and
    /// no splice. Blocks the loop thread (not a Swift pool thread) until the file system is ready.
    static func initialize(_ userdata: UnsafeMutableRawPointer?, _ conn: UnsafeMutablePointer<fuse_conn_info>?) {
        guard let userdata, let conn else { return }
        let dispatcher = Unmanaged<FUSEDispatcher>.fromOpaque(userdata).takeUnretainedValue()
        let options = dispatcher.options
        let transfer = UInt32(options.maxTransfer)
        conn.pointee.max_readahead = max(conn.pointee.max_readahead, transfer)
        conn.pointee.max_read = transfer
        conn.pointee.max_write = max(conn.pointee.max_write, transfer)
        if options.maxBackground > 0 {
            conn.pointee.max_background = UInt32(options.maxBackground)
            conn.pointee.congestion_threshold = UInt32(options.maxBackground * 3 / 4)
        }
        let capable = conn.pointee.capable
        var want = conn.pointee.want
        for cap in [FUSE_CAP_ASYNC_READ, FUSE_CAP_READDIRPLUS, FUSE_CAP_CACHE_SYMLINKS, FUSE_CAP_PARALLEL_DIROPS] {
            if capable & UInt32(cap) != 0 { want |= UInt32(cap) }
        }
        // O_TRUNC arrives as an explicit setattr(size: 0): one truncation path in the file system.
        for cap in [FUSE_CAP_WRITEBACK_CACHE, FUSE_CAP_SPLICE_READ, FUSE_CAP_SPLICE_WRITE, FUSE_CAP_SPLICE_MOVE,
                    FUSE_CAP_ATOMIC_O_TRUNC] {
            want &= ~UInt32(cap)
        }
        conn.pointee.want = want

        let fileSystem = dispatcher.fileSystem
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await fileSystem.initialize()
            done.signal()
        }
        done.wait()
    }

    static func statfs(_ req: fuse_req_t, _ ino: fuse_ino_t) {
        let request = FUSERequest(req)
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyStatfs(try await fs.statfs(ino))
        }
    }

    static func access(_ req: fuse_req_t, _ ino: fuse_ino_t, _ mask: Int32) {
        let request = FUSERequest(req)
        let context = request.context
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.access(ino, mask: mask, context: context)
            request.replyError(0)
        }
    }

    static func getxattr(_ req: fuse_req_t, _ ino: fuse_ino_t, _ cName: UnsafePointer<CChar>?, _ size: Int) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .readAttribute)) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            let value = try await fs.getxattr(ino, name: name)
            try replySized(request, value, capacity: size)
        }
    }

    static func listxattr(_ req: fuse_req_t, _ ino: fuse_ino_t, _ size: Int) {
        let request = FUSERequest(req)
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            let names = try await fs.listxattr(ino)
            var list = Data()
            for name in names {
                list.append(contentsOf: Array(name.utf8))
                list.append(0)
            }
            try replySized(request, list, capacity: size)
        }
    }

    /// Size-0 probe answers the length; a too-small buffer is ERANGE; otherwise the bytes.
    private static func replySized(_ request: FUSERequest, _ value: Data, capacity: Int) throws(FSError) {
        if capacity == 0 {
            request.replyXattrSize(value.count)
        } else if value.count > capacity {
            throw FSError(ERANGE)
        } else {
            request.replyBuffer(value)
        }
    }

    static func setxattr(_ req: fuse_req_t, _ ino: fuse_ino_t, _ cName: UnsafePointer<CChar>?,
                         _ cValue: UnsafePointer<CChar>?, _ size: Int, _ flags: Int32) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .create)) }
        let value = cValue.map { Data(bytes: $0, count: size) } ?? Data()
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.setxattr(ino, name: name, value: value, flags: flags)
            request.replyError(0)
        }
    }

    static func removexattr(_ req: fuse_req_t, _ ino: fuse_ino_t, _ cName: UnsafePointer<CChar>?) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .readAttribute)) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.removexattr(ino, name: name)
            request.replyError(0)
        }
    }
}
