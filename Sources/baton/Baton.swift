import ArgumentParser
import Foundation
import Logging

/// The `baton` command: validate, run, graph and list workflow runs.
@main
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Run workflows step by step, in dependency order, with approvals, retries and rollback.",
        discussion: """
            A workflow is a YAML file of steps with dependencies (see docs/workflow-format.md).
            Runs are recorded under $XDG_STATE_HOME/baton/runs (or ~/.local/state/baton/runs).
            """,
        version: BatonVersion.text,
        subcommands: [
            RunCommand.self, DemoCommand.self, ReplayCommand.self, ResumeCommand.self, RollbackCommand.self, ValidateCommand.self, GraphCommand.self,
            RunsCommand.self, ApproveCommand.self, RejectCommand.self, RetryCommand.self, SkipCommand.self, CancelCommand.self,
            HoldCommand.self, ReleaseCommand.self, PauseCommand.self, ContinueCommand.self, WatchCommand.self, AttachCommand.self, LogsCommand.self,
            TopCommand.self, ConfigCommand.self, SchemaCommand.self,
        ]
    )

    static func main() async {
        // Past a file size limit (RLIMIT_FSIZE) a write should fail with EFBIG, which Baton
        // reports as a recording failure, instead of the signal killing Baton mid-run. Steps
        // get the default action back when they are spawned.
        signal(SIGXFSZ, SIG_IGN)
        // Few arenas keep a large run's memory down (bench/console.py).
        MallocTuning.useFewArenas()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["BATON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            handler.logLevel = level ?? .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Bad arguments are invalid input, like a bad workflow file: exit 2, not EX_USAGE's 64.
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(ExitStatus.invalidInput.rawValue)
            }
            exit(withError: error)
        }
    }
}
