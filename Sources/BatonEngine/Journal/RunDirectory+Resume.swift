import Foundation

extension RunDirectory {
    /// Whether `baton resume` can take this run up, and if not, why.
    ///
    /// This is the one decision: `baton runs` calls a run resumable exactly when it passes,
    /// and `baton resume` refuses exactly what it refuses, so a listed run is never refused.
    /// It reads the journal and the stored workflow and changes nothing; whether another
    /// Baton is still writing the run is the caller's question (`isBeingWritten`, or the
    /// lock `baton resume` takes first). The stored workflow must be the one that ran (its
    /// digests match `run_started`'s), and its secrets must be set in `environment`, unless
    /// the run was simulated, as must the `ssh_config:` file its hosts are reached with.
    ///
    /// With `reopening`, a finished run passes too: an operator reopens it to retry, skip or
    /// roll back steps (`baton resume --retry-failed`, `baton rollback`, the console).
    public func resumeCheck(environment: [String: String], reopening: Bool = false) -> Result<ResumableRun, ResumeRefusal> {
        guard FileManager.default.fileExists(atPath: eventsPath) else {
            return .failure(ResumeRefusal("no journal at \(eventsPath)"))
        }
        let events: [RunEvent]
        let state: RunState
        do {
            events = try readJournal().events
            state = try JournalReader.fold(events)
        } catch {
            return .failure(ResumeRefusal("cannot read run \(runID): \(error)"))
        }
        if let refusal = state.resumeRefusal(for: nil, reopening: reopening) {
            return .failure(ResumeRefusal("run \(runID): \(refusal)"))
        }
        let stored: StoredDefinition
        do {
            stored = try readStoredDefinition()
        } catch {
            return .failure(ResumeRefusal("cannot read the stored workflow of run \(runID):\n\(error)"))
        }
        let text = stored.text
        let started = events.first { $0.kind == .runStarted }
        if let started {
            let changes = DefinitionFingerprint(text: text, calledFiles: stored.calledFiles.files).changes(since: started)
            if !changes.isEmpty {
                let (place, back) = stored.calledFiles.isEmpty
                    ? (workflowPath, "the file back as it was")
                    : ("\(workflowPath) and \(calledFilesPath)", "the files back as they were")
                return .failure(ResumeRefusal(
                    "the stored workflow of run \(runID) (\(place)) was edited after the run started: "
                        + changes.joined(separator: "; ")
                        + ". Baton resumes only the definition that ran: put \(back), or start a new run"))
            }
        }
        let workflow: Workflow
        do {
            workflow = try loadStoredDefinition(stored).workflow
        } catch {
            let problems = error.problems.map { "\($0)" }.joined(separator: "\n")
            return .failure(ResumeRefusal("the recorded workflow of run \(runID) does not load:\n\(problems)"))
        }
        if let refusal = state.resumeRefusal(for: workflow, reopening: reopening) {
            return .failure(ResumeRefusal("run \(runID): \(refusal)"))
        }
        // ssh reads the ssh_config on every connection, so the run keeps its path, not a copy.
        if let config = workflow.inventory.sshConfig, !state.simulated, !FileManager.default.fileExists(atPath: config) {
            return .failure(ResumeRefusal(
                "run \(runID) connects to its hosts with the ssh_config \(config), which is no longer there: "
                    + "put it back (ssh reads it on every connection, so the run keeps its path, not a copy) and resume again"))
        }
        // Baton before digests stored secrets written in the file as ***, which must never run.
        if started?.definitionDigest == nil, !workflow.secrets.isEmpty, text.contains("***") {
            return .failure(ResumeRefusal(
                "run \(runID) was recorded by an earlier Baton, which stored the secrets written in its file as ***; "
                    + "its stored workflow is not the one that ran, so it cannot be resumed: start a new run"))
        }
        let problems = SecretsInDefinition.problems(
            in: text, calling: stored.calledFiles, of: workflow, file: workflowPath,
            calledFileName: stored.source.displayName, environment: environment)
        if !problems.isEmpty {
            return .failure(ResumeRefusal(problems.map { "\($0)" }.joined(separator: "\n")))
        }
        let missing = workflow.secrets.filter { environment[$0] == nil }
        if !missing.isEmpty && !state.simulated {
            let names = missing.joined(separator: ", ")
            let plural = missing.count == 1 ? "" : "s"
            return .failure(ResumeRefusal(
                "run \(runID) needs the secret\(plural) \(names), which Baton takes only from the environment: "
                    + "set \(names) (to the value\(plural) the run started with) and resume again"))
        }
        return .success(ResumableRun(workflow: workflow, state: state, events: events))
    }
}
