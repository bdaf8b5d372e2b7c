import BatonEngine

/// A message on the status line, and what must stay true for it to stay.
///
/// A message describes the present: one about steps holds while each step it watches stays
/// where the message says (`StatusWatch`), and one about the run while the run's status stays
/// among `runStatuses`. `ConsoleUpdate` clears it as soon as an event makes it untrue.
public struct StatusLine: Sendable, Hashable {
    public var text: String
    public var isError: Bool
    public var time: Double
    /// The steps the message is about; empty for a message about nothing in particular.
    public var watches: [StatusWatch] = []
    /// The run statuses in which the message holds; nil when it does not depend on the run's status.
    public var runStatuses: Set<RunStatus>?

    public init(_ text: String, isError: Bool, time: Double, watches: [StatusWatch] = [], runStatuses: Set<RunStatus>? = nil) {
        self.text = text
        self.isError = isError
        self.time = time
        self.watches = watches
        self.runStatuses = runStatuses
    }

    /// Whether the message still describes `run`; updates the watches as steps move on.
    mutating func stillHolds(in run: RunState) -> Bool {
        if let runStatuses, !runStatuses.contains(run.status) { return false }
        guard !watches.isEmpty else { return true }
        var anyActive = false
        for index in watches.indices {
            guard let current = run[watches[index].step]?.state else { return false }
            switch watches[index].observe(current) {
            case .active: anyActive = true
            case .done: break
            case .broken: return false
            }
        }
        return anyActive
    }
}

/// One step a status message is about: the states it may be in before the message's act
/// shows, while it is under way, and once it is done.
public struct StatusWatch: Sendable, Hashable {
    public enum Standing: Sendable, Hashable { case active, done, broken }

    public var step: String
    /// States the step may still be in because the act's events have not arrived yet.
    public var before: Set<StepState>
    /// States that mean the act is under way.
    public var during: Set<StepState>
    /// States that mean the act is over as the message said; any other state makes it untrue.
    public var done: Set<StepState>
    private var entered = false

    public init(step: String, before: Set<StepState>, during: Set<StepState>, done: Set<StepState> = []) {
        self.step = step
        self.before = before
        self.during = during
        self.done = done
    }

    mutating func observe(_ state: StepState) -> Standing {
        if during.contains(state) {
            entered = true
            return .active
        }
        if done.contains(state) {
            entered = true
            return .done
        }
        return !entered && before.contains(state) ? .active : .broken
    }
}
