import BatonEngine
import Synchronization

/// The step finder's index of a console's workflow, made the first time the finder is used
/// (most sessions never open it) and kept; made again when the workflow holds more steps
/// than it does (a dynamic fan-out's instances, before the console's context is made anew).
final class StepFinderIndexCache: Sendable {
    private let kept = Mutex<StepFinderIndex?>(nil)

    init() {}

    /// The index for `workflow`, made now if the one kept is not for its steps.
    func index(for workflow: Workflow) -> StepFinderIndex {
        if let index = kept.withLock({ $0 }), index.stepCount == workflow.steps.count { return index }
        let index = StepFinderIndex(workflow: workflow)
        kept.withLock { $0 = index }
        return index
    }
}
