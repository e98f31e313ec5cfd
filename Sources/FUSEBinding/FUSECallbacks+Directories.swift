import CFuse3
import Foundation
import OSSFileSystem

extension FUSECallbacks {
    static func opendir(_ req: fuse_req_t, _ ino: fuse_ino_t, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            request.replyOpen(handle: try await fs.opendir(ino), keepCache: false, directIO: false)
        }
    }

    static func releasedir(_ req: fuse_req_t, _ ino: fuse_ino_t, _ fi: UnsafeMutablePointer<fuse_file_info>?) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(0) }
        FUSEDispatcher.of(req).spawn(request) { fs throws(FSError) in
            await fs.releasedir(ino, handle: handle)
            request.replyError(0)
        }
    }

    static func readdir(_ req: fuse_req_t, _ ino: fuse_ino_t, _ size: Int, _ offset: off_t,
                        _ fi: UnsafeMutablePointer<fuse_file_info>?, plus: Bool) {
        let request = FUSERequest(req)
        guard let handle = fi?.pointee.fh else { return request.replyError(EBADF) }
        // Smallest possible records: 24-byte dirent (+8 name) / 152-byte direntplus (+8 name).
        let limit = max(1, size / (plus ? 160 : 32))
        let dispatcher = FUSEDispatcher.of(req)
        let symlinkCache = dispatcher.symlinkCache
        dispatcher.spawn(request) { fs throws(FSError) in
            let entries = try await fs.readdir(ino, handle: handle, offset: UInt64(clamping: offset),
                                               limit: limit, plus: plus)
            DirectoryBufferFiller(request: request, fileSystem: fs, symlinkCache: symlinkCache, capacity: size,
                                  plus: plus).reply(with: entries)
        }
    }
}

/// Packs directory entries into one reply buffer of the size the kernel asked for.
///
/// With readdirplus, each entry the file system returned with an `EntryReply` counted as a lookup.
/// The kernel only takes that lookup for entries that reached it, and never for "." and "..": every
/// other one is handed back with `forget`, so the inode table's lookup counts stay exact.
struct DirectoryBufferFiller {
    let request: FUSERequest
    let fileSystem: any FileSystemOperations
    let symlinkCache: KernelCacheInvalidator
    let capacity: Int
    let plus: Bool

    func reply(with entries: [DirectoryEntry]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 1), alignment: 8)
        defer { buffer.deallocate() }
        var used = 0
        var full = false
        for entry in entries {
            if full {
                giveBack(entry)
                continue
            }
            let remaining = UnsafeMutableRawBufferPointer(rebasing: buffer[used..<capacity])
            let needed = plus ? addPlus(entry, into: remaining) : addPlain(entry, into: remaining)
            if needed > remaining.count {
                full = true
                giveBack(entry)
                continue
            }
            used += needed
            if plus && isDotOrDotDot(entry.name) { giveBack(entry) }
            else if plus, let reply = entry.entry { symlinkCache.observe(reply.attributes) }
        }
        request.replyBuffer(UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
    }

    private func addPlain(_ entry: DirectoryEntry, into space: UnsafeMutableRawBufferPointer) -> Int {
        request.addDirectoryEntry(space, name: entry.name, attributes: stubAttributes(entry), offset: entry.offset)
    }

    private func addPlus(_ entry: DirectoryEntry, into space: UnsafeMutableRawBufferPointer) -> Int {
        var param: fuse_entry_param
        if let reply = entry.entry, !isDotOrDotDot(entry.name) {
            param = reply.cEntryParam
        } else {
            // No lookup for this one: node id 0 tells the kernel to just list the name.
            param = fuse_entry_param()
            param.attr = (entry.entry?.attributes ?? stubAttributes(entry)).cStat
        }
        return request.addDirectoryEntryPlus(space, name: entry.name, entry: param, offset: entry.offset)
    }

    private func giveBack(_ entry: DirectoryEntry) {
        if plus, let reply = entry.entry { fileSystem.forget(reply.attributes.ino, lookups: 1) }
    }

    private func isDotOrDotDot(_ name: String) -> Bool { name == "." || name == ".." }

    private func stubAttributes(_ entry: DirectoryEntry) -> FileAttributes {
        let epoch = Timestamp(seconds: 0)
        return FileAttributes(ino: entry.ino, mode: entry.mode, uid: 0, gid: 0, size: 0,
                              atime: epoch, mtime: epoch, ctime: epoch)
    }
}
