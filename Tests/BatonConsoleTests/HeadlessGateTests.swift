import Foundation
import Testing

/// A headless `baton run` asking at a real terminal (tmux) whether to approve a gate: answers
/// decide it, and a gate that times out ends its question at once (and the run then asks what
/// to do about the rejected gate, see `HeadlessOperatorTests`).
@Suite(.serialized, .timeLimit(.minutes(2))) struct HeadlessGateTests {
    /// The operating-system user the tests run as, as Baton names them.
    private let me = String(cString: getpwuid(getuid()).pointee.pw_name)

    /// Starts `baton run --headless` on `workflow` in tmux; the pane prints `EXIT=<status>` when Baton ends.
    private func start(_ workflow: String) throws -> (tmux: TmuxSession, directory: String) {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        _ = try TmuxSession.tmux(["-V"])
        let directory = NSTemporaryDirectory() + "baton-gate-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try workflow.write(toFile: directory + "/gate.yaml", atomically: true, encoding: .utf8)
        let tmux = TmuxSession()
        // Wide, so that no line the tests look for is wrapped: the question has no newline, and
        // what the run prints while it is asked follows it on the same line.
        try tmux.start("\(ConsoleEndToEndTests.binary) run \(directory)/gate.yaml --headless --state-dir \(directory)/state; echo EXIT=$?", width: 250)
        return (tmux, directory)
    }

    @Test func aGateThatTimesOutEndsItsQuestionAtOnce() async throws {
        let (tmux, directory) = try start("""
            name: gated
            steps:
              ship:
                approval:
                  prompt: Ship it?
                  timeout: 2s
            """)
        defer {
            tmux.kill()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await tmux.waitFor("approve?")
        // Nobody types: the timeout alone must end the question. The rejected gate has failed,
        // and the run asks what to do about it; leaving it waiting ends the run.
        let asked = try await tmux.waitFor("[l]eave it waiting?", limit: .seconds(45))
        #expect(asked.contains("baton: gate 'ship' timed out (no decision within 2s) and is rejected: the question is withdrawn"), "\(asked)")
        #expect(asked.contains("'ship' failed: rejected by timeout: no decision within 2s. [r]etry, [s]kip"), "\(asked)")
        try tmux.type("l")
        try tmux.send("Enter")
        let screen = try await tmux.waitFor("EXIT=", limit: .seconds(45))
        #expect(screen.contains("EXIT=1"), "\(screen)")
    }

    @Test func anEscalationKeepsTheQuestionOpenForTheWiderApprovers() async throws {
        let (tmux, directory) = try start("""
            name: gated
            steps:
              ship:
                approval:
                  approvers: [someone-else-entirely]
                  timeout: 2s
                  on_timeout: escalate
                  escalate_to: [\(me)]
            """)
        defer {
            tmux.kill()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await tmux.waitFor("approve?")
        try await tmux.waitFor("escalated to \(me)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!(try tmux.capture()).contains("withdrawn"), "an escalated gate still waits for a decision")
        try tmux.type("y on call")
        try tmux.send("Enter")
        let screen = try await tmux.waitFor("EXIT=", limit: .seconds(45))
        #expect(screen.contains("» approve 'ship' by \(me) — accepted"), "\(screen)")
        #expect(screen.contains("EXIT=0"), "\(screen)")
    }
}
