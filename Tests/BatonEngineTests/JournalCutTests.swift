import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// The journal is the truth: a run cut short at any point of its journal resumes to a
/// consistent end, never runs a step that is not idempotent twice, and is listed as
/// resumable exactly when `baton resume` takes it up.
@Suite struct JournalCutTests {
    /// How each recorded run ends: its outcome and its steps' states.
    static let endings: [String: String] = [
        "success": "succeeded: fetch=succeeded build=succeeded test=succeeded ship=succeeded",
        "failure-wait": "failed: fetch=succeeded build=failed test=succeeded ship=blocked",
        "failure-stop": "failed: fetch=succeeded build=failed test=succeeded ship=blocked",
        "failure-rollback": "failed: fetch=rolled_back build=failed test=rolled_back ship=blocked",
        "cancelled-step": "failed: fetch=succeeded build=succeeded test=cancelled ship=blocked",
        "cancelled-run": "cancelled: fetch=succeeded build=cancelled test=cancelled ship=cancelled",
        "rejected-gate": "failed: fetch=succeeded build=succeeded test=succeeded gate=failed ship=blocked",
        "approved-gate": "succeeded: fetch=succeeded build=succeeded test=succeeded gate=succeeded ship=succeeded",
        "rollback-step": "rolled_back: fetch=succeeded build=rolled_back test=succeeded ship=rolled_back",
        "rollback-run": "rolled_back: fetch=rolled_back build=cancelled test=rolled_back ship=cancelled",
        "operator-retry": "succeeded: fetch=succeeded build=succeeded test=succeeded ship=succeeded",
        "interrupted": "interrupted: fetch=succeeded build=interrupted test=interrupted ship=pending",
        "interrupted-resumed": "succeeded: fetch=succeeded build=succeeded test=succeeded ship=succeeded",
        "rollback-retried": "rolled_back: fetch=succeeded build=rolled_back test=succeeded ship=rolled_back",
        "paused-skipped": "succeeded: fetch=succeeded build=skipped test=succeeded ship=succeeded",
        "dynamic-fan-out": "succeeded: fetch=succeeded build=succeeded test=succeeded spread=succeeded ship=succeeded spread[h1]=succeeded spread[h2]=succeeded",
    ]

    @Test func everyCutOfEveryKindOfRunResumesConsistently() async throws {
        let root = EngineTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var recordings: [RecordedScenario.Recording] = []
        for scenario in RecordedScenario.all {
            recordings.append(try await scenario.record(in: RunDirectory(path: "\(root)/recorded-\(scenario.name)")))
        }
        // Each recording is the run its scenario means.
        for recording in recordings {
            let state = try JournalReader.fold(recording.events)
            let ending = "\(recording.outcome.rawValue): " + state.steps.map { "\($0.id)=\($0.state.rawValue)" }.joined(separator: " ")
            #expect(ending == Self.endings[recording.scenario], "\(recording.scenario)")
        }
        let cuts = recordings.flatMap(JournalCut.all(of:))
        var resumed = 0
        var resumedTwice = 0
        var refused = 0
        // One at a time, yielding between cuts: the resumes are busy work, and the shared pool's
        // other thread stays free for the tests that wait on time.
        try await withThrowingTaskGroup(of: (JournalCut, JournalCut.Verdict).self) { group in
            var pending = cuts[...]
            func addNext() {
                guard let cut = pending.popFirst() else { return }
                group.addTask { (cut, try await cut.resume(under: root)) }
            }
            addNext()
            while let (cut, verdict) = try await group.next() {
                if verdict.resumed { resumed += 1 } else { refused += 1 }
                if verdict.resumedTwice { resumedTwice += 1 }
                for problem in verdict.problems { Issue.record("\(cut): \(problem)") }
                await Task.yield()
                addNext()
            }
        }
        print("journal cuts: \(cuts.count) cuts of \(recordings.count) recorded runs; \(resumed) resumed (\(resumedTwice) of them twice), \(refused) refused")
        #expect(resumed + refused == cuts.count)
        // Exactly the cuts that are not resumable are refused: the empty journal, a torn first
        // line, and every cut after a run finished (a plain resume of a finished run is refused;
        // it is reopened by an operator's command instead).
        let notResumable = cuts.filter { cut in (try? JournalReader.fold(cut.events))?.isResumable != true }.count
        #expect(refused == notResumable)
        #expect(resumed > cuts.count / 2)
    }
}
