import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// The journal is the truth: a run cut short at any point of its journal resumes to a
/// consistent end, never runs a step that is not idempotent twice, and is listed as
/// resumable exactly when `baton resume` takes it up.
@Suite struct JournalCutTests {
    @Test func everyCutOfEveryKindOfRunResumesConsistently() async throws {
        let root = EngineTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var recordings: [RecordedScenario.Recording] = []
        for scenario in RecordedScenario.all {
            recordings.append(try await scenario.record(in: RunDirectory(path: "\(root)/recorded-\(scenario.name)")))
        }
        let cuts = recordings.flatMap(JournalCut.all(of:))
        var resumed = 0
        var refused = 0
        // Two at a time: the machine has two cores, and a resume mostly waits on the journal's writer.
        try await withThrowingTaskGroup(of: (JournalCut, JournalCut.Verdict).self) { group in
            var pending = cuts[...]
            func addNext() {
                guard let cut = pending.popFirst() else { return }
                group.addTask { (cut, try await cut.resume(under: root)) }
            }
            for _ in 0..<4 { addNext() }
            while let (cut, verdict) = try await group.next() {
                if verdict.resumed { resumed += 1 } else { refused += 1 }
                for problem in verdict.problems { Issue.record("\(cut): \(problem)") }
                addNext()
            }
        }
        print("journal cuts: \(cuts.count) cuts of \(recordings.count) recorded runs; \(resumed) resumed, \(refused) refused")
        #expect(resumed + refused == cuts.count)
        // Only the empty journal, a torn first line, and the ends of runs that finished for
        // good (with or without the last newline) are refused.
        #expect(refused <= recordings.count * 4)
        #expect(resumed > cuts.count / 2)
    }
}
