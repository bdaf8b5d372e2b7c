import ArgumentParser
import BatonEngine

/// `baton approve RUN STEP -m COMMENT`: approves a waiting gate of a live run from any terminal.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a gate of a live run, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Argument(help: "The gate to approve.")
    var step: String

    @Option(name: [.customShort("m"), .long], help: "Why: recorded with the decision in the audit trail.")
    var comment: String?

    func run() throws {
        try HostVerb.send(.approve(step: step, comment: comment), to: target.run, stateDir: target.stateDir)
    }
}
