import Foundation

extension RunDirectory {
    /// Whether `baton resume` can take this run up, and if not, why.
    ///
    /// This is the one decision: `baton runs` calls a run resumable exactly when it passes,
    /// and `baton resume` refuses exactly what it refuses, so a listed run is never refused.
    /// It reads the journal and the recorded workflow and changes nothing; whether another
    /// Baton is still writing the run is the caller's question (`isBeingWritten`, or the
    /// lock `baton resume` takes first). Secrets the recorded file held only as `***` must
    /// be set in `environment`, unless the run was simulated.
    public func resumeCheck(environment: [String: String]) -> Result<ResumableRun, ResumeRefusal> {
        guard FileManager.default.fileExists(atPath: eventsPath) else {
            return .failure(ResumeRefusal("no journal at \(eventsPath)"))
        }
        let recorded: Workflow
        do {
            recorded = try WorkflowLoader.load(contentsOf: workflowPath)
        } catch {
            let problems = error.problems.map { "\($0)" }.joined(separator: "\n")
            return .failure(ResumeRefusal("the recorded workflow of run \(runID) does not load:\n\(problems)"))
        }
        let events: [RunEvent]
        let state: RunState
        do {
            events = try readJournal().events
            state = try JournalReader.fold(events)
        } catch {
            return .failure(ResumeRefusal("cannot read run \(runID): \(error)"))
        }
        if let refusal = state.resumeRefusal(for: recorded) {
            return .failure(ResumeRefusal("run \(runID): \(refusal)"))
        }
        let (workflow, masked) = recorded.removingMaskedSecrets()
        let missing = masked.filter { environment[$0] == nil }
        if !missing.isEmpty && !state.simulated {
            let names = missing.joined(separator: ", ")
            return .failure(ResumeRefusal(
                "the workflow of run \(runID) wrote the secret\(missing.count == 1 ? "" : "s") \(names) in the file, "
                    + "and Baton kept only *** in its place; set \(names) in the environment and resume again"))
        }
        return .success(ResumableRun(workflow: workflow, state: state, events: events))
    }
}
