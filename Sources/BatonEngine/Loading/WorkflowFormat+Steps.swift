/// The field tables of a step and of the mappings inside one.
extension WorkflowFormat {
    /// The step keys a step with `uses:` may have besides `uses` and `with`.
    package static let keysAllowedWithUses = ["name", "needs", "when", "notes"]

    /// A step of `steps:` or `finally:`.
    package static let step = WorkflowFieldTable(
        name: "step",
        docSection: "## Steps",
        fields: [
            WorkflowField("name", .text, "A human name for displays."),
            WorkflowField("run", .text, "The shell command, run with `/bin/sh -c`."),
            WorkflowField("needs", .list(.text, orSingle: true), "Steps that must finish before this one starts."),
            WorkflowField(
                "when", .text,
                "A condition over the needed steps and the run's parameters; when it is false the step is `skipped`. With `success()`, `failure()`, `always()` or `cancelled()` it also decides whether the step runs after a need failed. See Conditions."),
            WorkflowField("retry", .either([.wholeNumber(minimum: 1), .mapping(retry)]), "How often to try; see Retries."),
            WorkflowField(
                "timeout", .duration(allowsZero: false),
                "How long one attempt may run. A timed-out attempt is stopped (SIGTERM, then SIGKILL after a grace period) and counts as failed."),
            WorkflowField(
                "rollback", .text,
                "The shell command that undoes the step, used by `on_failure: rollback` and by an operator's rollback."),
            WorkflowField(
                "approval", .either([.flag, .mapping(approval)]), "A human approval the step waits for before it runs; see Approvals."),
            WorkflowField("env", environment, "Environment variables for this step; they override the workflow's `env`."),
            WorkflowField("dir", .text, "The working directory of `run` and `rollback`."),
            WorkflowField(
                "continue_on_error", .flag, "When true, a failure of this step does not stop its dependents (see below)."),
            WorkflowField(
                "idempotent", .flag,
                "Safe to run twice. If Baton stops while the step runs (a crash, Ctrl-C, quitting the console), `baton resume` runs it again by itself (as it does for a step that is only simulated); otherwise the step waits as `interrupted` for an operator to retry or skip it."),
            WorkflowField("notes", .text, "Free text for operators: what the step does, what to check when it fails."),
            WorkflowField("simulate", .mapping(simulation), "A scripted stand-in for the command; see Simulation."),
            WorkflowField(
                "uses", .text, mayBeEmpty: false, "Run that workflow's steps in this step's place; see Reusable workflows."),
            WorkflowField(
                "with", .namedMapping(keys: .any, values: .text), "The values of the called workflow's `params:`."),
            WorkflowField(
                "on", .text, mayBeEmpty: false,
                "Run the step on that host over SSH, or once on each host of that group; see Hosts and `on:`."),
            WorkflowField(
                "matrix", .matrix, mayBeEmpty: false, "Run the step once per combination or item; see Fan-out."),
            WorkflowField(
                "for_each", .fanOutItems, mayBeEmpty: false, "Run the step once per combination or item; see Fan-out."),
        ],
        including: [fanOut],
        needing: ["with": ["uses"]],
        exclusive: [["matrix", "for_each"]],
        limiting: ["uses": ["uses", "with"] + keysAllowedWithUses]
    )

    /// How a fanned-out step's instances run together (also those of `on:` a group).
    package static let fanOut = WorkflowFieldTable(
        name: "fan-out",
        docSection: "### Fan-out",
        fields: [
            WorkflowField(
                "max_parallel", .wholeNumber(minimum: 1),
                "The most instances running at once (the run's `concurrency` still applies)."),
            WorkflowField(
                "fail_fast", .flag,
                "`true` is `max_failures: 0`: the first failure holds back the rest. Not together with `max_failures`."),
            WorkflowField(
                "batch", .batch,
                "Rolling batches, in instance order: a batch starts once every instance of the batches before it has settled (a percentage is of the instances, rounded up)."),
            WorkflowField(
                "max_failures", .wholeNumber(minimum: 0),
                "Once more instances than this have failed, the instances not yet started are held back."),
        ]
    )

    /// The keys of a matrix that are rules, not keys of combinations.
    package static let matrixRuleKeys = ["include", "exclude"]

    /// `retry:` written as a mapping.
    package static let retry = WorkflowFieldTable(
        name: "retry",
        docSection: "### Retries",
        fields: [
            WorkflowField("attempts", .wholeNumber(minimum: 1), required: true, "Total attempts; 1 means no retry."),
            WorkflowField("backoff", .duration(allowsZero: true), "The wait after the first failed attempt."),
            WorkflowField("max_backoff", .duration(allowsZero: false), "The longest wait between attempts."),
            WorkflowField(
                "factor", .number(minimum: 1), "What each wait is multiplied by for the next one; `1` keeps the wait fixed."),
            WorkflowField(
                "on_exit_codes", .list(.wholeNumber(minimum: 1, maximum: 255), orSingle: true, minimumCount: 1, unique: true),
                "Only failures with one of these exit codes are retried."),
            WorkflowField(
                "max_duration", .duration(allowsZero: false),
                "No new attempt starts once this long has passed since the first attempt started."),
        ]
    )

    /// `simulate:`.
    package static let simulation = WorkflowFieldTable(
        name: "simulation",
        docSection: "### Simulation",
        fields: [
            WorkflowField("duration", .duration(allowsZero: true), "How long each attempt takes."),
            WorkflowField(
                "exit_codes", .list(.orEmpty(exitCode), orSingle: true),
                "The exit code of each attempt in turn (0–255); attempts past the end repeat the last code."),
            WorkflowField("exit_code", exitCode, "The same for a single code; give either `exit_code` or `exit_codes`."),
            WorkflowField(
                "output", .list(.text, orSingle: true),
                "Lines the step prints, spread over its duration. A line starting with `stderr:` goes to standard error, without the prefix."),
            WorkflowField(
                "outputs", .namedMapping(keys: .output, values: .orEmpty(.text)),
                "Outputs the step publishes when it succeeds, as if written to `$BATON_OUTPUT`. Names follow the rule of Outputs; two names that would be the same variable are an error."),
            WorkflowField(
                "failure_chance", .number(minimum: 0, maximum: 1),
                "An injected failure: an attempt that would exit 0 exits 1 instead with this chance. Which attempts fail depends only on the run's seed (`--seed N`, else a fresh one the headless run prints), the step id and the attempt number, so the same seed fails the same attempts however the run is scheduled."),
        ],
        exclusive: [["exit_code", "exit_codes"]]
    )

    /// The values of an approval's `on_timeout:` (`ApprovalGate.TimeoutAction`).
    package static let approvalTimeoutActions = ["reject", "escalate"]

    static let exitCode = WorkflowValueShape.wholeNumber(minimum: 0, maximum: 255)

    /// `approval:` written as a mapping.
    package static let approval = WorkflowFieldTable(
        name: "approval",
        docSection: "### Approvals",
        fields: [
            WorkflowField("prompt", .text, "The question shown to the operator."),
            WorkflowField("approvers", approvers, "Who may decide (approve or reject)."),
            WorkflowField("self_approval", .flag, "Whether the user who started the run may approve this gate."),
            WorkflowField("timeout", .duration(allowsZero: false), "How long the gate waits for a decision."),
            WorkflowField(
                "on_timeout", .oneOf(approvalTimeoutActions),
                "What happens when `timeout` runs out. Needs `timeout`."),
            WorkflowField(
                "escalate_to", approvers,
                "Who may also decide once the gate has escalated. Needs `on_timeout: escalate` and `approvers`."),
            WorkflowField("inputs", parameters, "Values the approver gives with the approval; see below."),
        ],
        needing: ["on_timeout": ["timeout"]]
    )
}
