import ArgumentParser
import BatonEngine

/// `baton continue RUN`: a paused live run starts steps again.
struct ContinueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "continue", abstract: "Let a paused live run start steps again, as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    func run() throws {
        try HostVerb.send(.resumeRun, to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
