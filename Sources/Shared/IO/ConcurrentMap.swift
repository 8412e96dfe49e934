/// Runs `body` over `items` with at most `limit` in flight and returns the results in input
/// order. Network steps use it to overlap round trips (one stack call per photo, downloads)
/// while the decisions stay sequential and in one place.
public func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    guard !items.isEmpty else { return [] }
    var results = [Result?](repeating: nil, count: items.count)
    await withTaskGroup(of: (Int, Result).self) { group in
        var next = 0
        func startNext() {
            let index = next
            next += 1
            group.addTask { (index, await body(items[index])) }
        }
        while next < min(limit, items.count) { startNext() }
        for await (index, result) in group {
            results[index] = result
            if next < items.count { startNext() }
        }
    }
    return results.map { $0! }
}
