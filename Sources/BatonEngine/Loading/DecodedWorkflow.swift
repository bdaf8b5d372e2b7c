import Yams

/// The top-level settings and steps read from a workflow file, before dependency checks.
struct DecodedWorkflow {
    var name: String
    var description: String?
    var concurrency: Int?
    var env: [String: String]
    var secrets: [String]
    var onFailure: FailurePolicy
    var selfApproval = true
    var access = AccessPolicy()
    var params: [WorkflowParameter] = []
    var groups: [StepGroup] = []
    var timeout: Duration?
    var steps: [DecodedStep]
    /// `outputs:`, read once the steps are known (`WorkflowAssembler`).
    var outputsNode: Node?
    /// The `finally:` key, which a called file may not have.
    var finallyKeyNode: Node?
    /// The settings given that belong to a whole run, which a called file's do not change.
    var runSettings: [String] = []

    /// The finished workflow.
    var workflow: Workflow {
        var workflow = Workflow(
            name: name, description: description, concurrency: concurrency, env: env,
            secrets: secrets, onFailure: onFailure, selfApproval: selfApproval, access: access,
            params: params, groups: groups, steps: steps.map(\.step)
        )
        workflow.timeout = timeout
        return workflow
    }
}
