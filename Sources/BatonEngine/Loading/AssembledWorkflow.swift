/// One workflow file loaded with everything it calls: its own steps and those of its called
/// workflows (their ids prefixed), validated; the form a called file takes before a caller
/// prefixes it again.
struct AssembledWorkflow {
    /// The file, as problems name it.
    var file: String
    var workflow: Workflow
    /// What `outputs:` declares, by the full ids of the steps that publish them.
    var outputs: [WorkflowCall.Output]
    /// The settings of a whole run the file gives, which do not apply when it is called.
    var ignoredSettings: [String]
    /// How deep its calls go: 0 when it calls nothing, else one more than its deepest callee.
    var height: Int
}
