/// Many short lists of slot or step positions packed into one array: a large graph has a
/// list for each of its nets, and 10,000 arrays of their own cost an allocation and a
/// header each.
struct IndexLists: Sendable {
    /// Where each list starts in `items`, and one more: where the last one ends.
    private let starts: [Int]
    private let items: [Int]

    init(_ lists: [[Int]]) {
        var starts: [Int] = []
        starts.reserveCapacity(lists.count + 1)
        var items: [Int] = []
        items.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            starts.append(items.count)
            items.append(contentsOf: list)
        }
        starts.append(items.count)
        self.starts = starts
        self.items = items
    }

    /// How many lists there are.
    var count: Int { starts.count - 1 }

    /// The list at `index`.
    subscript(index: Int) -> ArraySlice<Int> {
        items[starts[index]..<starts[index + 1]]
    }
}
