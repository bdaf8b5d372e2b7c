/// A step that runs another workflow file (`uses:` with `with:`), expanded when the file loads.
///
/// The called workflow's steps become steps of the run, their ids prefixed with the calling
/// step's id and a `.` (`build.compile`), each listing the call among its `enclosingCalls`;
/// a step that needs the calling step needs every one of them. The call itself runs nothing:
/// it is the scope of its steps' parameters (`with:`) and the source of its outputs.
public struct WorkflowCall: Sendable, Hashable {
    /// Where the value of one of the called workflow's parameters comes from.
    public enum Argument: Sendable, Hashable {
        /// A value written under `with:`.
        case value(String)
        /// `${{ params.NAME }}`: the calling scope's parameter of that name.
        case parameter(String)
        /// `${{ steps.ID.outputs.KEY }}`: an output of a step the call needs, by the step's full id.
        case output(step: String, key: String)
    }

    /// One of the called workflow's `outputs:`: the output `key` of the step `step` (a full id).
    public struct Output: Sendable, Hashable {
        public var name: String
        public var step: String
        public var key: String

        public init(name: String, step: String, key: String) {
            self.name = name
            self.step = step
            self.key = key
        }
    }

    /// The calling step's full id, which prefixes the ids of the steps it runs.
    public var id: String
    /// The call whose steps hold this one; nil for a call made by the run's own file.
    public var parent: String?
    /// The called file, as the loader named it in problems.
    public var file: String
    /// The called workflow's `name` (or its file name).
    public var workflowName: String
    public var description: String?
    /// The calling step's `name:` and `notes:`.
    public var name: String?
    public var notes: String?
    /// The steps the call runs, nested calls' too, in file order.
    public var steps: [String]
    /// The called workflow's parameters, which `with:` gives values to.
    public var params: [WorkflowParameter]
    /// What `with:` gives each parameter, by name.
    public var arguments: [String: Argument]
    /// What the call hands the steps that need it, in file order.
    public var outputs: [Output]
    /// The settings of the called file that belong to a whole run (`concurrency`, `timeout`…),
    /// which do not apply when it is called.
    public var ignoredSettings: [String]

    public init(
        id: String, parent: String? = nil, file: String, workflowName: String, description: String? = nil,
        name: String? = nil, notes: String? = nil, steps: [String], params: [WorkflowParameter] = [],
        arguments: [String: Argument] = [:], outputs: [Output] = [], ignoredSettings: [String] = []
    ) {
        self.id = id
        self.parent = parent
        self.file = file
        self.workflowName = workflowName
        self.description = description
        self.name = name
        self.notes = notes
        self.steps = steps
        self.params = params
        self.arguments = arguments
        self.outputs = outputs
        self.ignoredSettings = ignoredSettings
    }

    /// The id of a step or call of this call as seen from inside it: `build.compile` is
    /// `compile` to its neighbours, and to the variables they read (`$STEPS_COMPILE_OUTPUTS_…`).
    public func localID(of id: String) -> String {
        id.hasPrefix(self.id + ".") ? String(id.dropFirst(self.id.count + 1)) : id
    }
}
