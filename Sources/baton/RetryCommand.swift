import ArgumentParser
import BatonEngine

/// `baton retry RUN STEP`: the console's retry, from any terminal, on a live run.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Retry a failed, cancelled, interrupted or blocked step of a live run, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    @Argument(help: "The step.", completion: CompletionCandidates.steps(.retry))
    var step: String

    func run() throws {
        try HostVerb.send(.retry(step: step), to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
