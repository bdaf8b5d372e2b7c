import Yams

/// The top-level settings and steps read from a workflow file, before dependency checks;
/// `WorkflowAssembler` makes the finished workflow of it.
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
    /// `notify:`, the commands run on the run's events.
    var notifications: [NotificationCommand] = []
    /// The run's hosts and groups: the file's own `hosts:` and the inventory file's. Empty for a
    /// called file, whose steps run on the hosts of the run.
    var inventory = Inventory()
    var steps: [DecodedStep]
    /// `outputs:`, read once the steps are known (`WorkflowAssembler`).
    var outputsNode: Node?
    /// The `finally:` key, which a called file may not have.
    var finallyKeyNode: Node?
    /// The settings given that belong to a whole run, which a called file's do not change.
    var runSettings: [String] = []
}
