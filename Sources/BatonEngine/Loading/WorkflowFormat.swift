/// The field tables of the workflow format, one per kind of mapping: the keys the decoder
/// reads (`WorkflowDecoder` refuses any other as unknown), the shape of each value, and its
/// meaning from docs/workflow-format.md. `WorkflowSchema` turns them into the JSON Schema of
/// `baton schema`. A new key goes into its table here, in the doc's table, and into the
/// decoder's reading of it.
package enum WorkflowFormat {
    /// The top level of a workflow file.
    package static let topLevel = WorkflowFieldTable(
        name: "workflow",
        docSection: "## The file",
        fields: [
            WorkflowField("name", .text, "The workflow's name, shown in the console and in run records."),
            WorkflowField("description", .text, "Free text about what the workflow does."),
            WorkflowField("concurrency", .wholeNumber(minimum: 1), "The most steps that run at the same time."),
            WorkflowField("env", environment, "Environment variables for every step."),
            WorkflowField(
                "secrets", .list(.name(.variable)), "Environment variables whose values are never shown or stored."),
            WorkflowField(
                "on_failure", .oneOf(FailurePolicy.allCases.map(\.rawValue)),
                "What happens when a step fails for good; see Failure handling."),
            WorkflowField("self_approval", .flag, "Whether the user who started a run may approve its gates; see Approvals."),
            WorkflowField("access", .mapping(access), "Who may act on a live run and who may only watch it; see Access."),
            WorkflowField("params", parameters, "Values a run is started with (`-p NAME=VALUE`); see Parameters."),
            WorkflowField(
                "timeout", .duration(allowsZero: false),
                "The run's deadline, counted from its start (across `baton resume`); see Finally steps and the deadline."),
            WorkflowField(
                "notify", .list(.mapping(notification)),
                "Commands run when a gate opens, a step fails for good, a rollback fails or the run finishes; see Notifications."),
            WorkflowField(
                "outputs", .namedMapping(keys: .output, values: .text),
                "What the workflow hands the steps that need it when another workflow calls it; see Reusable workflows."),
            WorkflowField(
                "steps", .namedMapping(keys: .stepID, values: .mapping(step), minimumCount: 1), mayBeEmpty: false, required: true,
                "The steps, at least one."),
            WorkflowField(
                "finally", .namedMapping(keys: .stepID, values: .mapping(step)),
                "Steps that run once every other step has settled, whatever the outcome; see Finally steps and the deadline."),
        ],
        including: [inventory]
    )

    /// The inventory: top-level keys of a workflow, and the only keys of an inventory file.
    package static let inventory = WorkflowFieldTable(
        name: "inventory",
        docSection: "## The file",
        fields: [
            WorkflowField(
                "hosts", .namedMapping(keys: .inventoryName, values: .either([.text, .mapping(host)])),
                "The hosts steps may run on over SSH; see Hosts and `on:`."),
            WorkflowField(
                "groups", .namedMapping(keys: .inventoryName, values: .list(.text, orSingle: true, minimumCount: 1, unique: true)),
                "Named lists of hosts, which `on:` fans a step out over."),
            WorkflowField("ssh_config", .text, "The `ssh_config` file every `ssh` is given with `-F`, relative to this file."),
        ]
    )

    /// A host of `hosts:` written as a mapping.
    package static let host = WorkflowFieldTable(
        name: "host",
        docSection: "## Hosts and `on:`",
        fields: [
            WorkflowField(
                "address", .text, mayBeEmpty: false, required: true,
                "The host name or IP address `ssh` connects to, or an alias of the `ssh_config` in use."),
            WorkflowField("user", .text, "The user `ssh` logs in as."),
            WorkflowField("port", .wholeNumber(minimum: 1, maximum: 65535), "The port `ssh` connects to."),
        ]
    )

    /// `access:`.
    package static let access = WorkflowFieldTable(
        name: "access",
        docSection: "## Access",
        fields: [
            WorkflowField(
                "viewers", approvers, "may attach and watch, acting on nothing"),
            WorkflowField(
                "operators", approvers,
                "may pause and continue the run, retry, skip, hold, release, suspend, resume and cancel steps, cancel and roll back, and decide a gate that names no `approvers`"),
        ]
    )

    /// `params:` and an approval's `inputs:`: a mapping from name to declaration.
    static let parameters = WorkflowValueShape.namedMapping(keys: .parameter, values: .orEmpty(.mapping(parameter)))

    /// One parameter's declaration.
    package static let parameter = WorkflowFieldTable(
        name: "parameter",
        docSection: "## Parameters",
        fields: [
            WorkflowField(
                "type", .oneOf(parameterTypes),
                "What values it takes. A `number` is written as JSON writes one (`3`, `-1.5`, `2e3`; no `+`, hex or spaces); a `bool` is `true` or `false`."),
            WorkflowField("choices", .list(.text, minimumCount: 1, unique: true), "The values a `choice` may take."),
            WorkflowField("default", .text, "The value when `-p` gives none; it must fit the type."),
            WorkflowField("description", .text, "What the parameter is for; said when a required one is missing."),
            WorkflowField("required", .flag, "Whether a run must have a value (a default counts)."),
            WorkflowField(
                "secret", .flag,
                "Whether the value is masked as `***` wherever Baton writes or shows it, as a secret variable's is."),
        ]
    )

    /// The values of a parameter's `type:`.
    package static let parameterTypes = ["string", "number", "bool", "choice"]

    /// `env:` at the top level and in a step: values are taken as text.
    static let environment = WorkflowValueShape.namedMapping(keys: .variable, values: .orEmpty(.text))

    /// Who may decide a gate or act on a run: user names and `group:NAME` entries, or one.
    static let approvers = WorkflowValueShape.list(.text, orSingle: true, unique: true)
}
