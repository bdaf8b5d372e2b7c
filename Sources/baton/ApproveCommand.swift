import ArgumentParser
import BatonEngine

/// `baton approve RUN STEP -m COMMENT [--set NAME=VALUE]…`: approves a waiting gate of a live
/// run from any terminal, with the values its `approval.inputs` ask for.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a gate of a live run, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Argument(help: "The gate to approve.", completion: CompletionCandidates.steps(.approve))
    var step: String

    @Option(name: [.customShort("m"), .long], help: "Why: recorded with the decision in the audit trail.")
    var comment: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "A value the gate's approval.inputs ask for; it becomes the gate's output (repeatable).", valueName: "name=value"))
    var values: [String] = []

    func validate() throws {
        for text in values where !text.contains("=") {
            throw ValidationError("--set \(text) must be NAME=VALUE")
        }
        let names = values.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ValidationError("--set gives '\(repeated)' twice")
        }
    }

    func run() throws {
        var given: [String: String] = [:]
        for text in values {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            given[String(parts[0])] = String(parts[1])
        }
        try HostVerb.send(.approve(step: step, comment: comment, values: given.isEmpty ? nil : given), to: target.run, stateDir: target.stateDir)
    }
}
