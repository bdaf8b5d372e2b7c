import BatonEngine
import Foundation
import Testing

/// A headless run that waits for an operator with a person at a real terminal (tmux): Baton
/// asks what to do about the failed step, offers what the rule book allows, and carries the
/// answer out; leaving it waiting keeps it resumable, and Ctrl-C still interrupts.
@Suite(.serialized, .timeLimit(.minutes(2))) struct HeadlessOperatorTests {
    /// The question about the pipeline's failed `test` step, as Baton asks it.
    private let question = "'test' failed: exited with code 1. [r]etry, [s]kip, roll [b]ack the run, or [l]eave it waiting?"

    /// Starts `commands` (a shell command line) in tmux for `scratch`, wide enough that no line wraps.
    private func start(_ commands: String) throws -> TmuxSession {
        _ = try TmuxSession.tmux(["-V"])
        let tmux = TmuxSession()
        try tmux.start(commands, width: 250)
        return tmux
    }

    private func runCommand(_ scratch: PipelineScratch) -> String {
        "\(ConsoleEndToEndTests.binary) run \(scratch.file) --headless --state-dir \(scratch.state); echo EXIT=$?"
    }

    @Test func answeringRetryRunsTheFailedStepAgain() async throws {
        let scratch = try PipelineScratch()
        defer { scratch.remove() }
        let tmux = try start(runCommand(scratch))
        defer { tmux.kill() }
        let asked = try await tmux.waitFor("[l]eave it waiting?")
        #expect(asked.contains(question), "\(asked)")
        #expect(asked.contains("  r  runs 'test' again; 1 step it blocked can run after"), "\(asked)")
        // A rollback of the step is not offered: only a succeeded step can be rolled back.
        #expect(!asked.contains("[u]ndo"), "\(asked)")
        scratch.fix()
        try tmux.type("x")
        try tmux.send("Enter")
        try await tmux.waitFor("please answer r, s, b or l:")
        try tmux.type("r")
        try tmux.send("Enter")
        let screen = try await tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=0"), "\(screen)")
        #expect(scratch.runs == ["build": 1, "test": 2, "ship": 1, "docs": 1])
        #expect(try scratch.folded.outcome == .succeeded)
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        #expect(try scratch.folded.audit.contains { $0.action == "retry" && $0.user == me })
    }

    @Test func leavingItWaitingKeepsItResumableAndResumeAsksAgain() async throws {
        let scratch = try PipelineScratch()
        defer { scratch.remove() }
        let binary = ConsoleEndToEndTests.binary
        let tmux = try start(runCommand(scratch)
            + "; \(binary) resume $(ls \(scratch.state)/runs) --headless --state-dir \(scratch.state); echo RESUMED=$?")
        defer { tmux.kill() }
        try await tmux.waitFor(question)
        try tmux.type("l")
        try tmux.send("Enter")
        let left = try await tmux.waitFor("EXIT=")
        #expect(left.contains("EXIT=1"), "\(left)")
        #expect(left.contains("baton: left waiting for an operator: 'test' failed"), "\(left)")

        // `baton resume` at a terminal takes it up and asks again.
        try await tmux.waitFor("the question again") { $0.components(separatedBy: self.question).count == 3 }
        #expect(try scratch.folded.outcome == nil, "the resume has taken the run up")
        try tmux.type("s")
        try tmux.send("Enter")
        let screen = try await tmux.waitFor("RESUMED=")
        #expect(screen.contains("RESUMED=0"), "\(screen)")
        #expect(try scratch.folded["test"]?.state == .skipped)
        #expect(scratch.runs == ["build": 1, "test": 1, "ship": 1, "docs": 1])
    }

    @Test func ctrlCAtTheQuestionInterruptsTheRun() async throws {
        let scratch = try PipelineScratch()
        defer { scratch.remove() }
        let tmux = try start(runCommand(scratch))
        defer { tmux.kill() }
        try await tmux.waitFor(question)
        try tmux.send("C-c")
        let screen = try await tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=130"), "\(screen)")
        #expect(try scratch.folded.outcome == .interrupted)
    }
}
