import Foundation
import Testing

/// The real console, run in tmux with the secrets in its environment, never shows one: not
/// while the leaky workflow runs, on any step an operator selects, in the notes or the
/// timeline, nor when the recorded run is replayed.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SecretsConsoleEndToEndTests {
    /// Fails the test with the leaks found on `screen`.
    private func expectNoLeak(_ screen: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let leaks = LeakyWorkflow.leaks(in: screen)
        #expect(leaks.isEmpty, "\(what) shows \(leaks):\n\(screen)", sourceLocation: sourceLocation)
    }

    @Test func theConsoleAndTheReplayShowOnlyMasks() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        _ = try TmuxSession.tmux(["-V"])
        let state = NSTemporaryDirectory() + "baton-secrets-e2e-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: state) }

        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(binary) run \(LeakyWorkflow.path) --no-bell --state-dir \(state)", width: 160, height: 50, environment: LeakyWorkflow.environment)
        var screens: [(String, String)] = []
        screens.append(("the gate waiting", try await tmux.waitFor("'gate' waits for approval")))
        try tmux.send("a")
        try await tmux.waitFor("Approve 'gate'")
        try tmux.send("Enter")
        screens.append(("the failed run", try await tmux.waitFor("✘ 2 failed")))
        try tmux.send("Tab")
        try tmux.send("g")
        for step in ["talk", "publish", "gate", "fail-dir", "fail-message"] {
            screens.append(("the details of \(step)", try await tmux.waitFor("'\(step)' selected") { $0.contains("✔ \(step)") || $0.contains("✘ \(step)") }))
            try tmux.send("i")
            screens.append(("the notes of \(step)", try await tmux.waitFor("Notes")))
            try tmux.send("i")
            try tmux.send("j")
        }
        try tmux.send("t")
        screens.append(("the timeline", try await tmux.waitFor("Timeline")))
        let all = screens.map(\.1).joined(separator: "\n")
        for (what, screen) in screens { expectNoLeak(screen, what) }
        #expect(all.contains("leaky"), "the header shows the name")
        #expect(all.contains("file token ***"), "the masked log")
        // The run waits for an operator and nothing runs: q quits without asking.
        try tmux.send("q")
        try await tmux.waitFor("the console to exit") { _ in (try? tmux.isDead()) == true }
        tmux.kill()

        // The replay reads the run's recorded workflow, stored as written.
        let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
        let run = try #require(runs.first)
        let replay = TmuxSession()
        defer { replay.kill() }
        try replay.start("\(binary) replay \(run) --state-dir \(state)", width: 160, height: 50)
        try await replay.waitFor("REPLAY")
        try replay.send("}")
        let end = try await replay.waitFor("REPLAY END")
        expectNoLeak(end, "the replay")
        #expect(end.contains("leaky"))
        try replay.send("q")
        try await replay.waitFor("the replay to exit") { _ in (try? replay.isDead()) == true }
    }
}
