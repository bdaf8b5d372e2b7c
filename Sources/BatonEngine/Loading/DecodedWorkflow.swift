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
