/// One unit of work in a workflow: a command, a gate, or both.
public struct Step: Sendable, Hashable, Identifiable {
    /// The key of the step under `steps:`; unique within the workflow.
    public var id: String
    /// A human name; falls back to the id.
    public var name: String?
    /// The shell command, run by `/bin/sh -c`. A step without `run` and with `approval` is a pure gate.
    public var run: String?
    /// Ids of the steps that must finish first.
    public var needs: [String]
    /// The shell command that undoes this step.
    public var rollback: String?
    public var env: [String: String]
    public var dir: String?
    public var continueOnError: Bool
    /// Safe to run twice: `baton resume` re-runs the step by itself if Baton stopped while it ran.
    public var idempotent: Bool
    /// Free text explaining the step, for training.
    public var notes: String?
    /// Where the step's key sits in its file.
    public var location: SourceLocation
    /// The fan-out group (`StepGroup.id`) this step is an instance of; nil for a plain step.
    /// A dynamic fan-out step is in its own group, standing for it, but is not an instance
    /// (`StepGroup.instances` lists those).
    public var group: String?
    /// A `finally:` step: it runs once every other step has settled, whatever the outcome.
    public var isFinally = false
    /// The inventory host (`InventoryHost.name`) the step runs on over SSH; nil runs it on the
    /// machine Baton runs on. An instance of `on: GROUP` has its host here.
    public var host: String?
    /// The calls (`WorkflowCall.id`) whose called workflows hold this step, outermost first;
    /// empty for a step of the run's own file.
    public var enclosingCalls: [String] = []
    /// The parts most steps leave at their defaults (`Step+RareParts`); nil while all are.
    var rare: RareParts<RareContents>?

    public init(
        id: String, name: String? = nil, run: String? = nil, needs: [String] = [], when: Condition? = nil,
        retry: RetryPolicy = .none, timeout: Duration? = nil, rollback: String? = nil, approval: ApprovalGate? = nil,
        env: [String: String] = [:], dir: String? = nil, continueOnError: Bool = false, idempotent: Bool = false, notes: String? = nil,
        simulate: Simulation? = nil, location: SourceLocation = .start
    ) {
        self.id = id
        self.name = name
        self.run = run
        self.needs = needs
        self.rollback = rollback
        self.env = env
        self.dir = dir
        self.continueOnError = continueOnError
        self.idempotent = idempotent
        self.notes = notes
        self.location = location
        let rare = RareContents(when: when, retry: retry, timeout: timeout, approval: approval, simulate: simulate)
        self.rare = .boxing(rare)
    }

    /// The name to show: `name`, or the id when there is none.
    public var displayName: String { name ?? id }

    /// True when the step only waits for an approval and has nothing to run.
    public var isPureGate: Bool { approval != nil && run == nil && simulate == nil }

    /// The id as the steps of its own file see it: `compile` for `build.compile`.
    public var localID: String {
        enclosingCalls.last.map { id.hasPrefix($0 + ".") ? String(id.dropFirst($0.count + 1)) : id } ?? id
    }
}
