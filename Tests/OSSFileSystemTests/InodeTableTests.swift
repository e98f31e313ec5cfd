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
}
