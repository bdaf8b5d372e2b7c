/// What a notification says of the run it comes from, fixed when the run starts.
struct NotificationRun: Sendable {
    var runID: String
    /// The workflow's name, secrets masked.
    var workflowName: String
    /// Each step's name by id, secrets masked; instances of dynamic fan-outs are named by id.
    var stepNames: [String: String]
    var runDirectory: String?
    /// Masks secrets in what the commands are given and in what they print.
    var redactor: SecretRedactor
}
