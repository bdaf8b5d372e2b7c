import ArgumentParser
import BatonEngine

/// `baton release RUN STEP`: the console's release, from any terminal, on a live run.
struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Let a held step of a live run start, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    @Argument(help: "The step.", completion: CompletionCandidates.steps(.release))
    var step: String

    func run() throws {
        try HostVerb.send(.release(step: step), to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
