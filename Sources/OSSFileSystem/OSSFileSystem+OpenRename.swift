import Foundation
import OSSProtocol

extension OSSFileSystem {
    /// The inodes at or below `path` that have a writing handle open.
    func writerInodes(at path: String) -> [InodeNumber] { inodes(handles.inodesWithWriters(), at: path) }

    /// The inodes at or below `path` that have a reading handle open.
    func readerInodes(at path: String) -> [InodeNumber] { inodes(handles.inodesWithReaders(), at: path) }

    private func inodes(_ candidates: Set<InodeNumber>, at path: String) -> [InodeNumber] {
        candidates.filter { ino in
            guard let current = inodes.path(of: ino) else { return false }
            return current.utf8.elementsEqual(path.utf8) || KeyMapping.isWithin(current, directory: path)
        }
    }

    /// After a rename moved `moved`, points each of their reading handles at the new key: they go
    /// on reading the version they opened (a copy keeps the ETag) from where it is now.
    func retargetReaders(of moved: [InodeNumber]) {
        for ino in moved {
            guard let path = inodes.path(of: ino) else { continue }
            for reader in handles.readers(of: ino) { reader.prefetcher?.move(to: keys.objectKey(path)) }
        }
    }

    /// After a rename moved `moved` (flushed before the copy), points each of their writing handles
    /// at the new key, so later writes upload there and never to the old name (which may hold a new
    /// object by then). A handle with nothing unsaved starts again from the object at the new key;
    /// one written to meanwhile keeps its content (copied locally).
    func retargetWriters(of moved: [InodeNumber]) async throws(FSError) {
        for ino in moved {
            guard let path = inodes.path(of: ino) else { continue }
            for (number, open) in handles.numberedWriters(of: ino) where !open.path.utf8.elementsEqual(path.utf8) {
                guard let old = open.staged else { continue }
                let options = open.writeOptions(open.metadata)
                let key = keys.objectKey(path)
                let staged = try await mappingErrors {
                    if !old.isDirty {
                        return try StagedFile(store: store, key: key, configuration: configuration,
                                              initialSize: old.size, loadExisting: true)
                    }
                    let copy = try StagedFile(store: store, key: key, configuration: configuration,
                                              initialSize: 0, loadExisting: false)
                    try await copy.copyContent(of: old)
                    return copy
                }
                staged.enableBackgroundUpload(options: options)
                handles.retarget(number, path: path, staged: staged)
                old.discard()
            }
        }
    }
}
