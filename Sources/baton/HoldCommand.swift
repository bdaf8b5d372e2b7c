import ArgumentParser
import BatonEngine

/// `baton hold RUN STEP`: the console's hold, from any terminal, on a live run.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Keep a pending step of a live run from starting, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    @Argument(help: "The step.", completion: CompletionCandidates.steps(.hold))
    var step: String

    func run() throws {
        try HostVerb.send(.hold(step: step), to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
