import ArgumentParser
import BatonEngine

/// `baton skip RUN STEP`: the console's skip, from any terminal, on a live run.
struct SkipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip", abstract: "Skip a step of a live run so that what needs it goes on, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    @Argument(help: "The step.", completion: CompletionCandidates.steps(.skip))
    var step: String

    func run() throws {
        try HostVerb.send(.skip(step: step), to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
