import CFuse3
import Foundation
import OSSFileSystem

/// The libfuse low-level callbacks. Each copies what it borrowed from libfuse, then answers from a
/// detached task through the dispatcher, so no FUSE worker thread waits on the network.
enum FUSECallbacks {
    static func lookup(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .find)) }
        let dispatcher = FUSEDispatcher.of(req)
        let negativeTimeout = dispatcher.fileSystem.negativeEntryTimeout
        let symlinkCache = dispatcher.symlinkCache
        dispatcher.spawn(request) { fs throws(FSError) in
            do throws(FSError) {
                let entry = try await fs.lookup(parent: parent, name: name)
                symlinkCache.observe(entry.attributes)
                request.replyEntry(entry)
            } catch where error.errno == ENOENT && negativeTimeout > 0 {
                request.replyNegativeEntry(timeout: negativeTimeout)
            }
        }
    }

    static func forget(_ req: fuse_req_t, _ ino: fuse_ino_t, _ lookups: UInt64) {
        let dispatcher = FUSEDispatcher.of(req)
        dispatcher.symlinkCache.forget(ino)
        dispatcher.fileSystem.forget(ino, lookups: lookups)
        FUSERequest(req).replyNone()
    }

    static func forgetMulti(_ req: fuse_req_t, _ count: Int, _ items: UnsafeMutablePointer<fuse_forget_data>?) {
        let dispatcher = FUSEDispatcher.of(req)
        if let items {
            for item in UnsafeBufferPointer(start: items, count: count) {
                dispatcher.symlinkCache.forget(item.ino)
                dispatcher.fileSystem.forget(item.ino, lookups: item.nlookup)
            }
        }
        FUSERequest(req).replyNone()
    }

    static func getattr(_ req: fuse_req_t, _ ino: fuse_ino_t) {
        let request = FUSERequest(req)
        let dispatcher = FUSEDispatcher.of(req)
        let symlinkCache = dispatcher.symlinkCache
        dispatcher.spawn(request) { fs throws(FSError) in
            let (attributes, timeout) = try await fs.getattr(ino)
            symlinkCache.observe(attributes)
            request.replyAttributes(attributes, timeout: timeout)
        }
    }

    static func setattr(_ req: fuse_req_t, _ ino: fuse_ino_t, _ st: UnsafeMutablePointer<stat>?,
                        _ toSet: Int32, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let st else { return request.replyError(EINVAL) }
        let changes = AttributeChanges(toSet: toSet, stat: st.pointee)
        let handle = fi.map { $0.pointee.fh }
        let context = request.context
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            let (attributes, timeout) = try await fs.setattr(ino, changes: changes, handle: handle, context: context)
            request.replyAttributes(attributes, timeout: timeout)
        }
    }

    static func readlink(_ req: fuse_req_t, _ ino: fuse_ino_t) {
        let request = FUSERequest(req)
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyReadlink(try await fs.readlink(ino))
        }
    }

    static func symlink(_ req: fuse_req_t, _ cTarget: UnsafePointer<CChar>?, _ parent: fuse_ino_t,
                        _ cName: UnsafePointer<CChar>?) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName), let target = String(fuseName: cTarget) else {
            return request.replyError(UndecodableName.errno(for: .create))
        }
        let context = request.context
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyEntry(try await fs.symlink(parent: parent, name: name, target: target, context: context))
        }
    }

    static func mknod(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?, _ mode: mode_t,
                      _ rdev: dev_t) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .create)) }
        let context = request.context
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyEntry(try await fs.mknod(parent: parent, name: name, mode: mode, rdev: UInt64(rdev), context: context))
        }
    }

    static func mkdir(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?, _ mode: mode_t) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .create)) }
        let context = request.context
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyEntry(try await fs.mkdir(parent: parent, name: name, mode: mode, context: context))
        }
    }

    static func unlink(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .find)) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.unlink(parent: parent, name: name)
            request.replyError(0)
        }
    }

    static func rmdir(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .find)) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.rmdir(parent: parent, name: name)
            request.replyError(0)
        }
    }

    static func rename(_ req: fuse_req_t, _ parent: fuse_ino_t, _ cName: UnsafePointer<CChar>?,
                       _ newParent: fuse_ino_t, _ cNewName: UnsafePointer<CChar>?, _ flags: UInt32) {
        let request = FUSERequest(req)
        guard let name = String(fuseName: cName) else { return request.replyError(UndecodableName.errno(for: .find)) }
        guard let newName = String(fuseName: cNewName) else { return request.replyError(UndecodableName.errno(for: .create)) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            try await fs.rename(parent: parent, name: name, newParent: newParent, newName: newName, flags: flags)
            request.replyError(0)
        }
    }
}
