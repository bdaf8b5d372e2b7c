import ArgumentParser
import BatonEngine

/// `baton reject RUN STEP -m COMMENT`: rejects a waiting gate of a live run from any terminal.
struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject a gate of a live run, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Argument(help: "The gate to reject.", completion: CompletionCandidates.steps(.reject))
    var step: String

    @Option(name: [.customShort("m"), .long], help: "Why: recorded with the decision in the audit trail.")
    var comment: String?

    func run() throws {
        try HostVerb.send(.reject(step: step, comment: comment), to: target.run, stateDir: target.stateDir)
    }
}
