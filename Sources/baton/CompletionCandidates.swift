import ArgumentParser
import BatonEngine
import Foundation

/// What the shell completions (`baton --generate-completion-script`) offer for a run or a
/// step, worked out when the operator presses TAB: run ids from the state directory the line
/// names (`--state-dir`) or the default one, and the steps of the run on the line that the
/// command may act on now, by the engine's rule book.
///
/// A completion never prints an error into the shell: what cannot be read offers nothing.
enum CompletionCandidates {
    /// Workflow and inventory files: YAML files, and folders to find them in.
    static let workflowFiles = CompletionKind.file(extensions: ["yaml", "yml"])

    /// Every recorded run, newest first.
    static let recordedRuns = CompletionKind.custom { words, index, prefix in
        runIDs(words: words, index: index, prefix: prefix, liveOnly: false)
    }

    /// The run of `baton <verb> RUN`: for a verb that needs a live run (approve, retry, attach
    /// and the others), the runs a Baton is serving now; for `logs` and `watch`, which also
    /// read a finished run, every recorded run.
    static let verbRuns = CompletionKind.custom { words, index, prefix in
        let readsFinishedRuns = [LogsCommand.configuration.commandName, WatchCommand.configuration.commandName]
        let command = words.dropFirst().first.map(unquoted) ?? ""
        return runIDs(words: words, index: index, prefix: prefix, liveOnly: !readsFinishedRuns.contains(command))
    }

    /// The steps of the run named earlier on the line that `action` may act on now; every step
    /// of it when `action` is nil (`baton logs`). Without a run on the line, the newest live run
    /// that waits for an operator.
    static func steps(_ action: OperatorAction?) -> CompletionKind {
        .custom { words, index, prefix in
            stepNames(action: action, words: words, index: index).filter { $0.hasPrefix(prefix) }
        }
    }

    /// Run ids of the state directory the words name, newest first, that start with `prefix`.
    static func runIDs(words: [String], index: Int, prefix: String, liveOnly: Bool) -> [String] {
        let directory = StateDirectory.resolve(override: stateDirectory(in: words, index: index))
        return directory.runIDs().reversed().filter { id in
            id.hasPrefix(prefix) && (!liveOnly || directory.runDirectory(id).isBeingWritten)
        }
    }

    /// The step ids of the run on the line (or the newest run waiting for an operator) that
    /// `action` is allowed on; empty when there is no such run or it cannot be read.
    static func stepNames(action: OperatorAction?, words: [String], index: Int) -> [String] {
        let stateDir = stateDirectory(in: words, index: index)
        let found: (RunState, RunDirectory)?
        if let named = namedRun(in: words, index: index, stateDir: stateDir) {
            // A run the line names but that cannot be read offers nothing, not another run's steps.
            found = (try? JournalReader.fold(named.readJournal().events)).map { ($0, named) }
        } else {
            found = waitingRun(stateDir: stateDir)
        }
        guard let (state, run) = found else { return [] }
        guard let action else { return state.steps.map(\.id) }
        // The same rule book the engine refuses by, over the stored definition the run follows.
        guard let workflow = try? run.loadStoredWorkflow() else { return [] }
        let plan = Plan(workflow: workflow).following(state)
        return state.steps.indices.filter { plan.verdict(on: action, step: $0, in: state).isAllowed }.map { state.steps[$0].id }
    }

    /// The first word before the one completed that names a recorded run.
    private static func namedRun(in words: [String], index: Int, stateDir: String?) -> RunDirectory? {
        for word in words.prefix(index).dropFirst().map(unquoted) where !word.isEmpty && !word.hasPrefix("-") {
            // An id, its start, `last` or a directory, as every command reads a run.
            if case .success(let run) = RunLocator.locate(word, in: StateDirectory.resolve(override: stateDir)),
               FileManager.default.fileExists(atPath: run.eventsPath) {
                return run
            }
        }
        return nil
    }

    /// The newest run a Baton is serving that waits for an operator, with its state.
    private static func waitingRun(stateDir: String?) -> (RunState, RunDirectory)? {
        let directory = StateDirectory.resolve(override: stateDir)
        for id in directory.runIDs().reversed() {
            let run = directory.runDirectory(id)
            guard run.isBeingWritten, let state = try? JournalReader.fold(run.readJournal().events) else { continue }
            if state.status == .waitingForOperator { return (state, run) }
        }
        return nil
    }

    /// The value of `--state-dir` on the line (`--state-dir DIR` or `--state-dir=DIR`), if any.
    static func stateDirectory(in words: [String], index: Int) -> String? {
        let option = "--state-dir"
        let words = words.map(unquoted)
        for (position, word) in words.enumerated() where position != index {
            if word == option, words.indices.contains(position + 1), position + 1 != index {
                return expandingHome(words[position + 1])
            }
            if word.hasPrefix(option + "=") { return expandingHome(String(word.dropFirst(option.count + 1))) }
        }
        return nil
    }

    /// A shell word as the shell would pass it: without its quotes and backslashes. The
    /// completion gets words as typed.
    static func unquoted(_ word: String) -> String {
        var text = ""
        var quote: Character?
        var escaped = false
        for character in word {
            if escaped {
                text.append(character)
                escaped = false
            } else if let open = quote {
                if character == open { quote = nil } else if character == "\\" && open == "\"" { escaped = true } else { text.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "\\" {
                escaped = true
            } else {
                text.append(character)
            }
        }
        return text
    }

    /// `~/…` under the home directory, as the shell would have expanded it when run.
    private static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}
