import Foundation
import OSSProtocol

// TEMPORARY stand-ins for the datapath helper's `Prefetcher` and `StagedFile` (same API), so the
// file system can be built and tested before theirs lands. Delete this file when DataPath/ arrives.

/// Stand-in: one ranged GET per read.
public final class Prefetcher: Sendable {
    private let store: any ObjectStore
    private let key: String
    private let size: Int64

    public init(store: any ObjectStore, key: String, size: Int64, configuration: MountConfiguration) {
        self.store = store; self.key = key; self.size = size
    }

    public func read(offset: Int64, size: Int) async throws -> Data {
        guard offset < self.size, size > 0 else { return Data() }
        let end = min(self.size, offset + Int64(size))
        return try await store.getObject(key, range: offset..<end)
    }

    public func close() {}
}

/// Stand-in: the whole file in memory.
public final class StagedFile: Sendable {
    private struct State { var data = Data(); var loaded: Bool; var dirty = false }
    private let store: any ObjectStore
    private let key: String
    private let state: Locked<State>

    public init(store: any ObjectStore, key: String, configuration: MountConfiguration, initialSize: Int64,
                loadExisting: Bool) throws {
        self.store = store; self.key = key
        state = Locked(State(data: Data(count: loadExisting ? 0 : Int(initialSize)), loaded: !loadExisting))
    }

    public var size: Int64 { state.withLock { Int64($0.data.count) } }
    public var isDirty: Bool { state.withLock { $0.dirty } }

    private func load() async throws {
        if state.withLock({ $0.loaded }) { return }
        let data = try await store.getObject(key, range: nil)
        state.withLock { if !$0.loaded { $0.data = data; $0.loaded = true } }
    }

    public func write(offset: Int64, data: Data) async throws -> Int {
        try await load()
        state.withLock { s in
            let end = Int(offset) + data.count
            if s.data.count < end { s.data.append(Data(count: end - s.data.count)) }
            s.data.replaceSubrange(Int(offset)..<end, with: data)
            s.dirty = true
        }
        return data.count
    }

    public func read(offset: Int64, size: Int) async throws -> Data {
        try await load()
        return state.withLock { s in
            guard offset < s.data.count else { return Data() }
            return s.data.subdata(in: Int(offset)..<min(s.data.count, Int(offset) + size))
        }
    }

    public func truncate(to size: Int64) async throws {
        try await load()
        state.withLock { s in
            if s.data.count > Int(size) { s.data = s.data.prefix(Int(size)) } else { s.data.append(Data(count: Int(size) - s.data.count)) }
            s.dirty = true
        }
    }

    public func upload(options: WriteOptions) async throws -> String {
        try await load()
        let data = state.withLock { $0.data }
        let etag = try await store.putObject(key, body: .bytes(data), options: options)
        state.withLock { $0.dirty = false }
        return etag
    }

    public func discard() {}
}
