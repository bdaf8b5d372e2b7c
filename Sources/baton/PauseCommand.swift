import ArgumentParser
import BatonEngine

/// `baton pause RUN`: nothing new starts in a live run until `baton continue RUN`.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a live run (running steps go on, nothing new starts), as you.", discussion: HostVerb.discussion)

    @OptionGroup var target: HostVerbRun

    @Option(help: HostVerb.commentHelp)
    var comment: String?

    func run() throws {
        try HostVerb.send(.pauseRun, to: target.run, stateDir: target.stateDir, comment: comment)
    }
}
