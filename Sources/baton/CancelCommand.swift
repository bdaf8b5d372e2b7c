import ArgumentParser
import BatonEngine

/// `baton cancel RUN [STEP]`: cancels a step of a live run, or the whole run, from any terminal.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a step of a live run, or the whole run, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    @Argument(help: "The step; without it, the whole run is cancelled.", completion: CompletionCandidates.steps(.cancel))
    var step: String?

    func run() throws {
        try HostVerb.send(step.map { .cancel(step: $0) } ?? .cancelRun, to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
