/// The field table of `notify:`'s entries.
extension WorkflowFormat {
    /// One command of `notify:`.
    package static let notification = WorkflowFieldTable(
        name: "notification",
        docSection: "## Notifications",
        fields: [
            WorkflowField(
                "run", .text, mayBeEmpty: false, required: true,
                "The shell command, run with `/bin/sh -c`; it reads the event as JSON on stdin."),
            WorkflowField(
                "events", .list(.oneOf(NotificationEvent.allCases.map(\.rawValue)), orSingle: true, minimumCount: 1, unique: true),
                "The events it is run on."),
            WorkflowField(
                "timeout", .duration(allowsZero: false),
                "How long one attempt may take; then its process group is killed."),
            WorkflowField(
                "retry", .either([.wholeNumber(minimum: 1), .mapping(retry)]),
                "How often to run it for one event when it fails, and how long to wait in between: the same as a step's `retry:` (see Retries)."),
        ]
    )
}
