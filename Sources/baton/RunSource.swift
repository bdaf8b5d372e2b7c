import BatonEngine
import Foundation

/// What `run`, `demo` and `resume` start from: a new run of a workflow, or a recorded run
/// that is taken up again.
struct RunSource {
    var workflow: Workflow
    /// The workflow file's text, recorded with a new run.
    var text: String
    /// The texts of the files its `uses:` steps call and of its inventory file, recorded with a new run.
    var calledFiles = CalledFiles()
    /// The fingerprint the loader took of a new run's file; nil for a recorded run.
    var fingerprint: DefinitionFingerprint?
    var runID: String
    var directory: RunDirectory
    /// The recorded events of a run being resumed; nil for a new run.
    var history: [RunEvent]?
    /// The fold of `history`: the run as it was recorded.
    var recorded: RunState?
    /// When resuming, run every interrupted step again, not only the idempotent ones.
    var rerunsInterrupted = false
    /// Whether the recorded run played every step with the simulator (`--simulate`).
    var wasSimulated = false
    /// The lock on the journal of a run being resumed, taken before it was read.
    var journalLock: JournalLock?
    /// The run's parameters, once `setParameters` has checked them.
    var parameters = RunParameters()

    /// Sets the run's parameters from `-p NAME=VALUE` texts: a new run takes them and the
    /// declared defaults; a resumed run keeps what `run_started` recorded, and takes again
    /// only the secrets the journal does not keep.
    mutating func setParameters(_ given: [String]) throws(RunParametersError) {
        let result = history == nil
            ? RunParameters.resolve(given, for: workflow)
            : RunParameters.resume(recorded: recorded?.params ?? [:], given: given, for: workflow)
        parameters = try result.get()
    }

    /// A new run of the workflow file at `path`, recorded under the state directory, with the
    /// hosts of the inventory file at `inventory` (`--inventory`) if given. The file, each file
    /// it calls and the inventory file are read once: the texts stored with the run are the
    /// texts that were loaded and checked, so a resumed run runs on the hosts it ran on. Throws
    /// the files' problems, and the reasons their secrets refuse them (`SecretsInDefinition`).
    static func new(
        file path: String, inventory: String? = nil, stateDir: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(WorkflowLoadError) -> RunSource {
        let definition = try WorkflowLoader.loadWithText(contentsOf: path, inventory: inventory)
        MallocTuning.releaseFreePages()
        let names = CalledFileSource.files(besideFile: path, inventory: inventory)
        return try new(definition, file: path, calledFileName: names.displayName, stateDir: stateDir, environment: environment)
    }

    /// A new run of a workflow already loaded (a demo built into baton), named in problems as
    /// `file` and its called files by `calledFileName`. Throws the reasons its secrets refuse
    /// it, as `new(file:)` does.
    static func new(
        _ definition: WorkflowDefinition, file path: String, calledFileName: (String) -> String, stateDir: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(WorkflowLoadError) -> RunSource {
        let problems = SecretsInDefinition.problems(
            in: definition.text, calling: definition.calledFiles, of: definition.workflow, file: path,
            calledFileName: calledFileName, environment: environment)
        if !problems.isEmpty { throw WorkflowLoadError(problems: problems) }
        let runID = StateDirectory.newRunID()
        let directory = StateDirectory.resolve(override: stateDir).runDirectory(runID)
        var source = RunSource(
            workflow: definition.workflow, text: definition.text, calledFiles: definition.calledFiles, runID: runID,
            directory: directory, history: nil)
        source.fingerprint = definition.fingerprint
        return source
    }

    /// The recorded run in `directory` (as `RunLocator` found it), taken up for `baton resume`;
    /// or a sentence saying why it cannot be.
    ///
    /// The stored `workflow.yaml` is run as it is: it must still have the digest `run_started`
    /// recorded (a journal from before digests were kept is not checked), pass the secret
    /// checks a new run passes, and find every secret in the environment.
    ///
    /// With `reopening`, a finished run is taken up too, for an operator to retry, skip or roll
    /// back its steps (`RunDirectory.resumeCheck(environment:reopening:)`). Whoever can write
    /// the run's directory may resume or reopen it; anyone else is refused, with the path.
    static func resume(
        _ directory: RunDirectory, reopening: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<RunSource, ResumeRefusal> {
        if let refusal = writeRefusal(for: directory) { return .failure(refusal) }
        // Lock before reading: of two resumes of one run, the second is refused here, however
        // they interleave, and nothing changes the journal between the checks and the writing.
        let lock: JournalLock
        do {
            lock = try JournalLock(path: directory.eventsPath)
        } catch {
            if error.message == JournalLock.heldElsewhere {
                return .failure(ResumeRefusal("run \(directory.runID) is still going in another Baton process"))
            }
            return .failure(ResumeRefusal("cannot open the journal of run \(directory.runID) for writing: \(error)", cannotRecord: true))
        }
        switch directory.resumeCheck(environment: environment, reopening: reopening) {
        case .failure(let refusal):
            return .failure(refusal)
        case .success(let run):
            do {
                // Checked first, the file is changed only for a run that will be resumed.
                try directory.repairTornTail()
                let contents = try directory.readJournal()
                return .success(RunSource(
                    workflow: run.workflow, text: "", runID: run.state.runID.isEmpty ? directory.runID : run.state.runID,
                    directory: directory, history: contents.events, recorded: run.state, wasSimulated: run.state.simulated, journalLock: lock))
            } catch {
                return .failure(ResumeRefusal("cannot read run \(directory.runID): \(error)"))
            }
        }
    }

    /// Why this process may not resume or reopen the run in `directory`: it cannot write the
    /// directory or its journal. Whoever can write them may; nil when this process can.
    static func writeRefusal(for directory: RunDirectory) -> ResumeRefusal? {
        for path in [directory.path, directory.eventsPath] where access(path, W_OK) != 0 {
            let why = String(cString: strerror(errno))
            return ResumeRefusal(
                "\(OperatorIdentity.current) cannot write \(path) (\(why)): only someone who can write "
                    + "the run's directory may resume or reopen run \(directory.runID)")
        }
        return nil
    }

    /// The engine for this source, sharing `plan` when given (a plan of `workflow`). The
    /// fingerprint goes to the engine, which journals it, and is not kept here: nothing reads
    /// its part digests again.
    mutating func makeEngine(_ configuration: EngineConfiguration, plan: Plan? = nil) throws(JournalError) -> Engine {
        defer { fingerprint = nil }
        var configuration = configuration
        configuration.rerunsInterruptedSteps = rerunsInterrupted
        configuration.parameters = parameters
        return try Engine(
            workflow: workflow, workflowText: text, calledFiles: calledFiles, definition: fingerprint, resuming: history,
            journalLock: journalLock, configuration: configuration, plan: plan)
    }
}
