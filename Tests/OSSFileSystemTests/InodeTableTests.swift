import Foundation
@testable import OSSFileSystem
import Testing

@Suite struct InodeTableTests {
    @Test func inodeStableWhileReferencedAndGoneAfterForget() {
        let table = InodeTable()
        let a = table.reference("a", kind: .file)
        #expect(table.reference("a", kind: .file) == a)
        table.forget(a, count: 1)
        #expect(table.path(of: a) == "a")
        table.forget(a, count: 1)
        #expect(table.path(of: a) == nil)
        #expect(table.count == 1)
        #expect(table.reference("a", kind: .file) != a)
    }

    @Test func kindChangeGivesNewInode() {
        let table = InodeTable()
        let a = table.reference("a", kind: .file)
        let b = table.reference("a", kind: .directory)
        #expect(a != b)
        #expect(table.path(of: a) == nil)
        #expect(table.path(of: b) == "a")
    }

    @Test func moveCarriesDescendantsAndDetachesDestination() {
        let table = InodeTable()
        let dir = table.reference("d", kind: .directory)
        let child = table.reference("d/x", kind: .file)
        let old = table.reference("e", kind: .file)
        table.move(from: "d", to: "e")
        #expect(table.path(of: dir) == "e")
        #expect(table.path(of: child) == "e/x")
        #expect(table.path(of: old) == nil)
        #expect(table.inode(of: "d") == nil)
    }

    @Test func rootIsNeverForgotten() {
        let table = InodeTable()
        table.forget(InodeTable.root, count: 10)
        #expect(table.path(of: InodeTable.root) == "")
    }

    /// After the kernel forgets most inodes (a huge `ls -l` then memory pressure), the tables are
    /// rebuilt to their size rather than keeping their largest capacity.
    @Test func theTableShrinksWhenMostInodesAreForgotten() {
        let table = InodeTable()
        let inodes = (0..<50_000).map { table.reference("big/f\($0)", kind: .file) }
        let peak = table.capacity
        for ino in inodes.dropFirst(100) { table.forget(ino, count: 1) }
        #expect(table.count == 101)
        #expect(table.capacity < peak / 8)
        #expect(table.path(of: inodes[5]) == "big/f5", "the inodes still referenced keep their paths")
        #expect(table.inode(of: "big/f99") == inodes[99])
    }
}
