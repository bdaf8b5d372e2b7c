import BatonEngine
import Foundation
import Testing

/// Kills a real `baton run` with SIGKILL in the middle of a run, resumes it, and checks that
/// nothing was lost or done twice.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CrashResumeTests {
    /// 50 steps in 5 layers of 10; each needs two steps of the layer before and appends a
    /// line to its own marker file when it is done. The third layer waits for the file `go`,
    /// so the crash always lands in the middle of the run, however slow the machine.
    private func workflow(markers: String, go: String) -> String {
        var text = "name: crash\nconcurrency: 4\nsteps:\n"
        for layer in 0..<5 {
            for index in 0..<10 {
                text += "  s\(layer)_\(index):\n    idempotent: true\n"
                let wait = layer == 2 ? "until [ -e '\(go)' ]; do sleep 0.02; done; " : "sleep 0.02; "
                text += "    run: \(wait)echo ok >> '\(markers)/'$BATON_STEP\n"
                if layer > 0 { text += "    needs: [s\(layer - 1)_\(index), s\(layer - 1)_\((index + 1) % 10)]\n" }
            }
        }
        return text
    }

    @Test func aKilledRunResumesAndEveryStepSucceedsOnce() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-crash-\(UUID().uuidString.prefix(8))"
        let markers = directory + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        let go = directory + "/go"
        try workflow(markers: markers, go: go).write(toFile: directory + "/crash.yaml", atomically: true, encoding: .utf8)
        let state = directory + "/state"

        let first = try ChildProcess.start(binary, ["run", directory + "/crash.yaml", "--headless", "--state-dir", state])
        var reaped = false
        defer {
            // Whatever happens, release the steps that wait for 'go' and stop the first Baton
            // (only while it is still this test's child: a reaped pid may belong to anyone).
            _ = FileManager.default.createFile(atPath: go, contents: nil)
            if !reaped {
                kill(first.pid, SIGKILL)
                _ = try? first.wait(limit: .seconds(10))
            }
        }
        // Wait until the first two layers are done and the third is running, then pull the plug.
        let directoryOfRun = try await waitForRun(in: state) { folded, _ in
            folded.steps.filter { $0.state == .succeeded }.count == 20 && folded.steps.contains { $0.state == .running }
        }
        kill(first.pid, SIGKILL)
        let killed = try await first.exit(within: .seconds(10))
        reaped = true
        #expect(killed.status == 128 + SIGKILL)

        let before = try JournalReader.fold(try directoryOfRun.readJournal().events)
        let doneBefore = Set(before.steps.filter { $0.state == .succeeded }.map(\.id))
        #expect(doneBefore.count < 50, "the crash came after the run had finished; nothing was tested")

        _ = FileManager.default.createFile(atPath: go, contents: nil)
        let resumed = try await ChildProcess.finish(binary, ["resume", directoryOfRun.runID, "--headless", "--state-dir", state], within: .seconds(60))
        #expect(resumed.status == 0, "baton resume: \(resumed.output)")

        // The journal is whole and says every step succeeded.
        let contents = try directoryOfRun.readJournal()
        #expect(!contents.ignoredTornLine)
        let after = try JournalReader.fold(contents.events)
        #expect(after.outcome == .succeeded)
        #expect(after.steps.allSatisfy { $0.state == .succeeded })
        let reopenedAt = try #require(contents.events.firstIndex { $0.kind == .runReopened })
        #expect(contents.events.filter { $0.kind == .runReopened }.count == 1)

        for record in after.steps {
            let lines = ((try? String(contentsOfFile: "\(markers)/\(record.id)", encoding: .utf8)) ?? "")
                .split(separator: "\n").count
            let ranAgain = contents.events[reopenedAt...].contains { $0.step == record.id && $0.state == .running }
            if doneBefore.contains(record.id) {
                // Recorded as succeeded before the crash: never run again.
                #expect(lines == 1, "\(record.id) ran \(lines) times")
                #expect(!ranAgain, "\(record.id) succeeded before the crash and ran again")
            } else {
                // It may have finished as an orphan of the dead Baton, then run again: once or twice.
                #expect((1...2).contains(lines), "\(record.id) left \(lines) marker lines")
            }
        }
        // No process of either Baton is left.
        #expect(LeftoverProcesses.groups(ofRun: directoryOfRun.runID).isEmpty)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// 50 steps in 5 layers of 10 as above; layers 1, 3 and 4 each wait for their own file
    /// `go<layer>`, so each crash lands while that layer runs.
    private func gatedWorkflow(markers: String, directory: String) -> String {
        var text = "name: crashes\nconcurrency: 4\nsteps:\n"
        for layer in 0..<5 {
            for index in 0..<10 {
                text += "  s\(layer)_\(index):\n    idempotent: true\n"
                let wait = [1, 3, 4].contains(layer) ? "until [ -e '\(directory)/go\(layer)' ]; do sleep 0.02; done; " : ""
                text += "    run: \(wait)echo ok >> '\(markers)/'$BATON_STEP\n"
                if layer > 0 { text += "    needs: [s\(layer - 1)_\(index), s\(layer - 1)_\((index + 1) % 10)]\n" }
            }
        }
        return text
    }

    /// Polls the run's journal until `condition` holds for its fold; returns the run directory.
    private func waitForRun(in state: String, _ condition: (RunState, [RunEvent]) -> Bool) async throws -> RunDirectory {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let id = (try? FileManager.default.contentsOfDirectory(atPath: state + "/runs"))?.first {
                let candidate = RunDirectory(path: "\(state)/runs/\(id)")
                if let events = try? candidate.readJournal().events, let folded = try? JournalReader.fold(events),
                   condition(folded, events) {
                    return candidate
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcess.Failure(description: "the run never reached the expected point")
    }

    @Test func aRunSurvivesThreeCrashesInARowAndEveryStepRunsExactlyOnce() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-crashes-\(UUID().uuidString.prefix(8))"
        let markers = directory + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        try gatedWorkflow(markers: markers, directory: directory).write(toFile: directory + "/crashes.yaml", atomically: true, encoding: .utf8)
        let state = directory + "/state"
        defer {
            for layer in [1, 3, 4] { _ = FileManager.default.createFile(atPath: "\(directory)/go\(layer)", contents: nil) }
        }

        // Each cycle: start (or resume) Baton, open the previous layer's gate file once the
        // resumed Baton has cleared away the old processes, wait until the next gated layer
        // runs, and SIGKILL Baton.
        var runID: String?
        var crashes = 0
        for (cycle, layer) in [1, 3, 4].enumerated() {
            let arguments = runID.map { ["resume", $0, "--headless", "--state-dir", state] }
                ?? ["run", directory + "/crashes.yaml", "--headless", "--state-dir", state]
            let child = try ChildProcess.start(binary, arguments)
            var reaped = false
            defer { if !reaped { kill(child.pid, SIGKILL); _ = try? child.wait(limit: .seconds(10)) } }
            if cycle > 0 {
                _ = try await waitForRun(in: state) { _, events in events.filter { $0.kind == .runReopened }.count == cycle }
                let previous = [1, 3, 4][cycle - 1]
                _ = FileManager.default.createFile(atPath: "\(directory)/go\(previous)", contents: nil)
            }
            let run = try await waitForRun(in: state) { folded, _ in
                folded.steps.filter { $0.state == .succeeded }.count == layer * 10
                    && folded.steps.contains { $0.state == .running && $0.id.hasPrefix("s\(layer)_") }
            }
            runID = run.runID
            kill(child.pid, SIGKILL)
            let killed = try await child.exit(within: .seconds(10))
            reaped = true
            #expect(killed.status == 128 + SIGKILL)
            crashes += 1
        }
        #expect(crashes == 3)

        let id = try #require(runID)
        let resume = try ChildProcess.start(binary, ["resume", id, "--headless", "--state-dir", state])
        _ = try await waitForRun(in: state) { _, events in events.filter { $0.kind == .runReopened }.count == 3 }
        _ = FileManager.default.createFile(atPath: "\(directory)/go4", contents: nil)
        let finished = try await resume.exit(within: .seconds(60))
        #expect(finished.status == 0, "the last resume: \(finished.output)")

        let run = RunDirectory(path: "\(state)/runs/\(id)")
        let contents = try run.readJournal()
        #expect(!contents.ignoredTornLine)
        let after = try JournalReader.fold(contents.events)
        #expect(after.outcome == .succeeded)
        #expect(after.steps.count == 50 && after.steps.allSatisfy { $0.state == .succeeded })
        // The gated layers could not finish before their file existed, and their old processes
        // were gone before it did: every step ran to the end exactly once.
        for record in after.steps {
            let lines = ((try? String(contentsOfFile: "\(markers)/\(record.id)", encoding: .utf8)) ?? "").split(separator: "\n").count
            #expect(lines == 1, "\(record.id) finished \(lines) times")
            let successes = contents.events.filter { $0.step == record.id && $0.state == .succeeded }.count
            #expect(successes == 1, "\(record.id) is recorded as succeeded \(successes) times")
        }
        #expect(LeftoverProcesses.groups(ofRun: id).isEmpty)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
