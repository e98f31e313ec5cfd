import CFuse3
import Foundation
import OSSFileSystem

extension FUSECallbacks {
    static func open(_ req: fuse_req_t, _ ino: fuse_ino_t, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        let flags = fi?.pointee.flags ?? O_RDONLY
        let context = request.context
        let dispatcher = FUSEDispatcher.of(req)
        let directIO = dispatcher.options.bypassesPageCache(flags: flags)
        dispatcher.spawn(request) { fs throws(FSError) in
            let (handle, keepCache) = try await fs.open(ino, flags: flags, context: context)
            request.replyOpen(handle: handle, keepCache: keepCache, directIO: directIO)
        }
    }

    static func create(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?, _ mode: mode_t,
                       _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .create)) }
        let flags = fi?.pointee.flags ?? (O_CREAT | O_WRONLY)
        let context = request.context
        let dispatcher = FUSEDispatcher.of(req)
        let directIO = dispatcher.options.bypassesPageCache(flags: flags)
        dispatcher.spawn(request) { fs throws(FSError) in
            let (entry, handle) = try await fs.create(parent: parent, name: name, mode: mode, flags: flags, context: context)
            request.replyCreate(entry, handle: handle, directIO: directIO)
        }
    }

    static func read(_ req: fuse_req_t, _ ino: fuse_ino_t, _ size: Int, _ offset: off_t,
                     _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(EBADF) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            let data = try await fs.read(ino, handle: handle, offset: UInt64(clamping: offset), size: size)
            request.replyBuffer(data.count > size ? data.prefix(size) : data)
        }
    }

    static func write(_ req: fuse_req_t, _ ino: fuse_ino_t, _ buffer: UnsafePointer<CChar>?, _ size: Int,
                      _ offset: off_t, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(EBADF) }
        let data = buffer.map { Data(bytes: $0, count: size) } ?? Data()
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyWrite(try await fs.write(ino, handle: handle, offset: UInt64(clamping: offset), data: data))
        }
    }

    static func flush(_ req: fuse_req_t, _ ino: fuse_ino_t, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(EBADF) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.flush(ino, handle: handle)
            request.replyError(0)
        }
    }

    static func fsync(_ req: fuse_req_t, _ ino: fuse_ino_t, _ dataSync: Int32, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(EBADF) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.fsync(ino, handle: handle, dataOnly: dataSync != 0)
            request.replyError(0)
        }
    }

    static func release(_ req: fuse_req_t, _ ino: fuse_ino_t, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(0) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.release(ino, handle: handle)
            request.replyError(0)
        }
    }
}
