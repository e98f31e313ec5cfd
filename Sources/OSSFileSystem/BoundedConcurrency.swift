import Foundation

/// Runs `body` on every item with at most `limit` running at once; results keep the input order.
/// The first error cancels the rest and is rethrown.
func boundedMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async throws -> Result
) async throws -> [Result] {
    if items.isEmpty { return [] }
    return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        for _ in 0..<min(max(limit, 1), items.count) {
            let index = next, item = items[index]
            group.addTask { (index, try await body(item)) }
            next += 1
        }
        while let (index, result) = try await group.next() {
            results[index] = result
            if next < items.count {
                let index = next, item = items[index]
                group.addTask { (index, try await body(item)) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}
