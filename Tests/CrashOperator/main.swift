// crash-operator: resumes a recorded run as an operator would after a crash, for the crash loop.
//
//     crash-operator RUN_DIRECTORY MARKERS_DIRECTORY
//
// It takes the run up as `baton resume` does (the journal's lock, `RunDirectory.resumeCheck`,
// the run's own workflow.yaml and journal, the same engine), with every step on the shell.
// Each step of the crash-loop workflow appends a line to MARKERS_DIRECTORY/<step> as its last
// act, so the operator can see what an interrupted step did: once the resume has stopped what the dead Baton left running, an
// interrupted step with a marker did its work and is skipped; one without is retried. It
// exits 0 when the run succeeds, 1 when it ends otherwise, 2 on bad input. The crash loop
// (bench/crash_loop.py and CrashLoopTests) kills it at random instants and starts it again.
import BatonEngine
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let runPath = arguments.first, let markers = arguments.last else {
    FileHandle.standardError.write(Data("usage: crash-operator RUN_DIRECTORY MARKERS_DIRECTORY\n".utf8))
    exit(2)
}
let directory = RunDirectory(path: runPath)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("crash-operator: \(message)\n".utf8))
    exit(2)
}

// The same steps as `baton resume`: lock, the one resume decision, repair the torn tail, read.
let lock: JournalLock
do { lock = try JournalLock(path: directory.eventsPath) } catch { fail("\(error)") }
let workflow: Workflow
switch directory.resumeCheck(environment: ProcessInfo.processInfo.environment) {
case .success(let run): workflow = run.workflow
case .failure(let refusal):
    // A kill can land after the run succeeded and before the loop heard of it.
    if let events = try? directory.readJournal().events, (try? JournalReader.fold(events))?.outcome == .succeeded { exit(0) }
    fail(refusal.description)
}
let history: [RunEvent]
do {
    try directory.repairTornTail()
    history = try directory.readJournal().events
} catch { fail("\(error)") }

let configuration = EngineConfiguration(
    runID: directory.runID, user: "operator", executor: ShellExecutor(), runDirectory: directory,
    cancelGracePeriod: .milliseconds(200))
let engine: Engine
do {
    engine = try Engine(workflow: workflow, resuming: history, journalLock: lock, configuration: configuration)
} catch { fail("\(error)") }

await engine.start()
var outcome: RunOutcome
decide: while true {
    switch await engine.waitUntilSettled() {
    case .finished(let ended):
        outcome = ended
        break decide
    case .needsOperator:
        let state = await engine.state
        let interrupted = state.steps.filter { $0.state == .interrupted }.map(\.id)
        if interrupted.isEmpty {
            let done = await engine.isComplete
            await engine.finish(outcome: done ? .succeeded : .failed, reason: done ? "every step is done" : "stalled")
            continue
        }
        for id in interrupted {
            if FileManager.default.fileExists(atPath: "\(markers)/\(id)") {
                _ = await engine.skip(id, by: "operator")
            } else {
                _ = await engine.retry(id, by: "operator")
            }
        }
    }
}
let closed = await engine.waitUntilFinished()
exit(closed == .succeeded ? 0 : 1)
