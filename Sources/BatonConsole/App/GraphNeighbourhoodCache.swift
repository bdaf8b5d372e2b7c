import BatonEngine
import Synchronization

/// The graph neighbourhoods a console laid out, by centre, pane size and expanded groups, the
/// most recently used kept: drawing, a key and a click each ask for the neighbourhood of the
/// selection, and it should be laid out once per change of selection, not once per ask.
final class GraphNeighbourhoodCache: Sendable {
    struct Key: Hashable {
        var expanded: Set<String>
        var centre: Int
        var width: Int
        var height: Int
    }

    /// Least recently used first; nil where no neighbourhood fits.
    private let built = Mutex<[(key: Key, neighbourhood: GraphNeighbourhood?)]>([])
    private let madeCount = Mutex(0)
    /// A few: the selection and where it just was, should the operator step back.
    private static let capacity = 4

    /// How many neighbourhoods were laid out so far.
    var made: Int { madeCount.withLock { $0 } }

    /// The neighbourhood for `key`, made by `make` if it is not kept.
    func neighbourhood(for key: Key, make: () -> GraphNeighbourhood?) -> GraphNeighbourhood? {
        let kept = built.withLock { entries -> GraphNeighbourhood?? in
            guard let index = entries.lastIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return .some(entry.neighbourhood)
        }
        if let kept { return kept }
        let made = make()
        madeCount.withLock { $0 += 1 }
        built.withLock { entries in
            entries.append((key, made))
            if entries.count > Self.capacity { entries.removeFirst() }
        }
        return made
    }
}
