import ArgumentParser
import BatonEngine
import Foundation

/// Sends one operator command to a live run's host, for the verbs `approve`, `reject`,
/// `retry`, `skip`, `cancel`, `hold`, `release`, `pause` and `continue`.
///
/// The host acts as the user the kernel says we are. Exit status: 0 accepted, 1 refused (by
/// the engine, or because the run is not live or this user may not reach it), 2 bad input.
enum HostVerb {
    /// The verbs' common explanation of exit statuses, for their help.
    static let discussion = """
        Works on a live run, from any terminal of a user who may reach its run directory: the \
        Baton running it carries the command out as that user, and the audit trail records it. \
        Exit status: 0 accepted, 1 refused (the engine's reason is printed; also when the run \
        is not live or its socket is not open to this user), 2 invalid input (also a RUN that \
        names no run, or several). RUN is a run's id, the start of its id or of the id's last \
        part (3f2a for 20261206-061134-3f2a), last (the run started last), or its directory.
        """

    /// The help of every verb's `--comment`.
    static let commentHelp: ArgumentHelp = "Why, in a few words: the audit trail keeps it with the command."

    /// Sends `command` to the run `reference` names (any reference `RunLocator` takes).
    static func send(_ command: OperatorCommand, to reference: String, stateDir: String?, comment: String? = nil) throws {
        try send(command, to: try RunLocator.recordedRun(reference, stateDir: stateDir), comment: comment)
    }

    /// Sends `command` to the host of the recorded run in `run`.
    static func send(_ command: OperatorCommand, to run: RunDirectory, comment: String? = nil) throws {
        var command = command
        if let comment, !comment.isEmpty { command.comment = comment }
        let connection: HostConnection
        do {
            connection = try HostConnection(path: run.hostSocketPath)
        } catch {
            Console.error("baton: run \(run.runID): cannot \(command.summary): \(explain(error, run: run))")
            throw ExitStatus.failed
        }
        let answer: HostMessage
        do {
            answer = try connection.send(command)
        } catch {
            Console.error("baton: run \(run.runID): cannot \(command.summary): \(explain(error, run: run))")
            throw ExitStatus.failed
        }
        switch answer.type {
        case .result where answer.accepted == true:
            Console.out(answer.message ?? "accepted")
        case .result:
            Console.error("baton: refused: \(answer.message ?? "no reason given")")
            throw ExitStatus.failed
        default:
            Console.error("baton: the run's host did not take the command: \(answer.message ?? answer.type.rawValue)")
            throw ExitStatus.invalidInput
        }
    }

    /// Why the host cannot be reached, and what to do instead.
    static func explain(_ error: HostError, run: RunDirectory) -> String {
        switch error.reason {
        case .forbidden:
            return "\(error.message); the run's socket is open to its owner and group only (ask to join the group, or act as a member)"
        case .gone:
            let state = (try? run.readJournal()).flatMap { try? JournalReader.fold($0.events) }
            if let outcome = state?.outcome, !outcome.isUnfinished {
                return "the run is not live: it \(outcome.words) (baton resume \(run.runID) --retry-failed, or baton rollback \(run.runID), reopens it)"
            }
            return "no Baton serves the run any more: its host is gone (baton resume \(run.runID) takes it up)"
        case .notAllowed, .other:
            return error.message
        }
    }
}

/// The run a verb acts on, and where runs are recorded.
struct HostVerbRun: ParsableArguments {
    @Argument(help: "The run: its id (see 'baton runs') or its directory.", completion: CompletionCandidates.verbRuns)
    var run: String

    @Option(help: "Where runs are recorded (default $XDG_STATE_HOME/baton, then ~/.local/state/baton).", completion: .directory)
    var stateDir: String?
}
