import BatonEngine
import Synchronization

/// The groupings a console made for its workflow, by expanded set, the most recently used
/// kept: laying out the graph of thousands of steps takes long enough to do once per expand
/// or collapse, and a frame or a key asks for the grouping several times.
final class StepGroupingCache: Sendable {
    private let workflow: Workflow
    private let groupIDs: Set<String>
    /// Least recently used first.
    private let built: Mutex<[StepGrouping]>
    /// How many groupings were made, the first (all collapsed) included: what tells that one
    /// was kept rather than made again.
    private let madeCount = Mutex(1)
    /// Enough for an operator going back and forth between a few views.
    private static let capacity = 8

    /// Makes the grouping with every group collapsed, the one a console starts with.
    init(workflow: Workflow) {
        self.workflow = workflow
        groupIDs = Set(workflow.steps.lazy.compactMap(\.group)).union(workflow.calls.map(\.id))
        built = Mutex([StepGrouping(workflow: workflow)])
    }

    /// How many groupings were made so far.
    var made: Int { madeCount.withLock { $0 } }

    /// The grouping with `expanded` expanded (ids that name no group are ignored), made now if
    /// it is not kept.
    func grouping(expanding expanded: Set<String>) -> StepGrouping {
        let key = groupIDs.isEmpty || expanded.isEmpty ? [] : expanded.intersection(groupIDs)
        let kept = built.withLock { entries -> StepGrouping? in
            if let last = entries.last, last.expanded == key { return last }
            guard let index = entries.firstIndex(where: { $0.expanded == key }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry
        }
        if let kept { return kept }
        // Made outside the lock: a console asks from one thread, and a slow layout should not
        // hold up anyone else's look at what is kept.
        let grouping = StepGrouping(workflow: workflow, expanded: key)
        madeCount.withLock { $0 += 1 }
        built.withLock { entries in
            entries.append(grouping)
            if entries.count > Self.capacity { entries.removeFirst() }
        }
        return grouping
    }
}
