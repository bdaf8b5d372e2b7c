import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// Runs the console from an interactive shell in tmux, ends it in each of the ways it can
/// end — SIGTERM, SIGHUP, a Swift runtime trap, the operator quitting — and checks that the
/// shell gets its terminal back: the alternate screen is gone, the cursor shows, the termios
/// are exactly as before (`stty -g`), typed text is echoed and a command line runs.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TerminalRestoreTests {
    /// The interactive shell's prompt; it shows the shell is waiting for a command.
    static let prompt = "baton-test$ "

    /// One console session started from a shell in a tmux pane.
    private struct Session {
        let tmux = TmuxSession()
        let directory: String

        init() throws {
            directory = NSTemporaryDirectory() + "baton-restore-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }

        var stateDirectory: String { directory + "/state" }

        /// Starts an interactive `sh` in the pane and, from it, saves the termios and runs
        /// `baton arguments` with `variables` in its environment, then prints its exit status.
        func start(_ arguments: String, variables: String = "") async throws {
            try tmux.start("env 'PS1=\(TerminalRestoreTests.prompt)' sh")
            // capture-pane drops trailing blanks, so look for the prompt without its space.
            try await tmux.waitFor(TerminalRestoreTests.prompt.trimmingCharacters(in: .whitespaces))
            // Short relative paths keep the later command lines from wrapping on the screen.
            try tmux.type("cd '\(directory)'; stty -g > before.stty; \(variables) \(ConsoleEndToEndTests.binary) \(arguments) --no-bell --state-dir \(stateDirectory); echo exit-status:$?")
            try tmux.send("Enter")
        }

        /// Waits until the console has taken over the screen and shows `text`.
        func waitForConsole(showing text: String) async throws {
            try await tmux.waitFor("the console on the alternate screen, showing '\(text)'") { screen in
                screen.contains(text) && (try? tmux.format("#{alternate_on}")) == "1"
            }
        }

        /// Waits for baton to end and the shell to print its exit status; returns the status.
        func waitForExit() async throws -> Int32 {
            // A whole line of digits after the label: the typed command line (which may wrap
            // anywhere) holds the label too, but followed by `$?`.
            func status(on screen: String) -> Int32? {
                screen.split(separator: "\n").lazy.compactMap { line -> Int32? in
                    let text = line.trimmingCharacters(in: .whitespaces)
                    guard text.hasPrefix("exit-status:") else { return nil }
                    return Int32(text.dropFirst("exit-status:".count))
                }.last
            }
            let screen = try await tmux.waitFor("baton's exit status", limit: .seconds(30)) { status(on: $0) != nil }
            return try #require(status(on: screen))
        }

        /// Checks that the shell has the terminal back; returns the screen at the end.
        @discardableResult
        func expectTerminalRestored(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> String {
            #expect(try tmux.format("#{alternate_on}") == "0", "the alternate screen is left", sourceLocation: sourceLocation)
            #expect(try tmux.format("#{cursor_flag}") == "1", "the cursor is visible", sourceLocation: sourceLocation)
            // The shell runs a typed line: the arithmetic shows it was run, not just shown.
            let command = "stty -g > after.stty; echo ok-$((6*7))-marker"
            try tmux.type(command)
            try tmux.send("Enter")
            let screen = try await tmux.waitFor("the shell to run a typed command") { screen in
                screen.split(separator: "\n").contains("ok-42-marker")
            }
            #expect(screen.contains(TerminalRestoreTests.prompt + command), "typed text is echoed after the prompt:\n\(screen)",
                    sourceLocation: sourceLocation)
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let marker = try #require(lines.lastIndex(of: "ok-42-marker"), sourceLocation: sourceLocation)
            #expect(lines[(marker + 1)...].contains(TerminalRestoreTests.prompt.trimmingCharacters(in: .whitespaces)),
                    "the shell prompts again:\n\(screen)", sourceLocation: sourceLocation)
            let before = try String(contentsOfFile: directory + "/before.stty", encoding: .utf8)
            let after = try String(contentsOfFile: directory + "/after.stty", encoding: .utf8)
            #expect(!before.isEmpty && before == after, "the termios are as the shell left them", sourceLocation: sourceLocation)
            // Nothing started from the shell's directory outlives baton but the shell itself: no
            // step, and no crash reporter (swift-backtrace) that lost its process.
            let shell = pid_t(try tmux.format("#{pane_pid}"))
            let left = ProcessTable.live(inDirectory: directory).filter { $0 != shell }
            #expect(left.isEmpty, "processes left behind: \(left.map { ProcessTable.commandLine(of: $0) })",
                    sourceLocation: sourceLocation)
            return screen
        }

        /// Ends the session and kills whatever a failed test left running in its directory.
        func remove() {
            tmux.kill()
            for pid in ProcessTable.live(inDirectory: directory) { kill(pid, SIGKILL) }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    private func requireBinary() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        _ = try TmuxSession.tmux(["-V"])
    }

    /// Opens the console on `workflow` and waits until every process of its steps runs; returns how many.
    private func startStubbornRun(_ workflow: StubbornWorkflow, in session: Session) async throws -> Int {
        try await session.start("run \(workflow.path) --grace-period 0.3")
        try await session.waitForConsole(showing: "▶ 2 running")
        let before = await ProcessTable.count(carrying: workflow.marker, within: .seconds(45)) { $0 >= workflow.processCount }
        try #require(before == workflow.processCount, "the steps never got all their processes going")
        return before
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aSignalRestoresTheTerminalAndLeavesNoStepProcess(_ signal: Int32) async throws {
        try requireBinary()
        let session = try Session()
        defer { session.remove() }
        let workflow = try StubbornWorkflow(in: session.directory)
        defer { ProcessTable.killAll(carrying: workflow.marker) }
        let before = try await startStubbornRun(workflow, in: session)
        let baton = try #require(ProcessTable.baton(withArgument: session.stateDirectory))

        kill(baton, signal)
        #expect(try await session.waitForExit() == 130, "an interrupted run exits 130")
        #expect(!ProcessTable.isLive(baton))
        let after = await ProcessTable.count(carrying: workflow.marker, within: .seconds(5)) { $0 == 0 }
        #expect(after == 0, "\(after) of the \(before) step processes outlived baton")
        let screen = try await session.expectTerminalRestored()
        #expect(screen.contains("baton resume "), "the closing lines say how to resume the run:\n\(screen)")
    }

    @Test func quittingRestoresTheTerminalAndLeavesNoStepProcess() async throws {
        try requireBinary()
        let session = try Session()
        defer { session.remove() }
        let workflow = try StubbornWorkflow(in: session.directory)
        defer { ProcessTable.killAll(carrying: workflow.marker) }
        let before = try await startStubbornRun(workflow, in: session)

        try session.tmux.send("q")
        try await session.tmux.waitFor("Quit while the run is active?")
        try session.tmux.send("Enter")
        #expect(try await session.waitForExit() == 130, "quitting an active run interrupts it")
        let after = await ProcessTable.count(carrying: workflow.marker, within: .seconds(5)) { $0 == 0 }
        #expect(after == 0, "\(after) of the \(before) step processes outlived baton")
        try await session.expectTerminalRestored()
    }

    @Test func quittingAFinishedRunRestoresTheTerminalAndExitsZero() async throws {
        try requireBinary()
        let session = try Session()
        defer { session.remove() }
        let file = session.directory + "/quick.yaml"
        try "name: quick\nsteps:\n  only:\n    run: echo done\n".write(toFile: file, atomically: true, encoding: .utf8)
        try await session.start("run \(file)")
        try await session.waitForConsole(showing: "SUCCEEDED")
        try session.tmux.send("q")
        #expect(try await session.waitForExit() == 0, "a run that succeeded exits 0")
        try await session.expectTerminalRestored()
    }

    /// A signal to a console whose run only waits for an operator is a quit: nothing is
    /// interrupted, the run is left waiting (exit 1, resumable), and no refused command is
    /// recorded on its way out.
    @Test func aSignalToAWaitingRunLeavesItWaiting() async throws {
        try requireBinary()
        let session = try Session()
        defer { session.remove() }
        let file = session.directory + "/failing.yaml"
        try "name: failing\nsteps:\n  broken:\n    run: exit 4\n".write(toFile: file, atomically: true, encoding: .utf8)
        try await session.start("run \(file)")
        try await session.waitForConsole(showing: "WAITING FOR AN OPERATOR")
        let baton = try #require(ProcessTable.baton(withArgument: session.stateDirectory))
        kill(baton, SIGTERM)
        #expect(try await session.waitForExit() == 1, "a run left waiting for an operator exits 1")
        let runs = try FileManager.default.contentsOfDirectory(atPath: session.stateDirectory + "/runs")
        let journal = try RunDirectory(path: session.stateDirectory + "/runs/" + (try #require(runs.first))).readJournal().events
        let state = try JournalReader.fold(journal)
        #expect(state.outcome == .waitingForOperator)
        #expect(state.isResumable)
        #expect(!journal.contains { $0.kind == .command && $0.accepted == false }, "nothing refused is recorded")
        try await session.expectTerminalRestored()
    }

    /// The ways the console can crash: a Swift runtime trap and a stack overflow on the thread
    /// that owns curses (made by the `BATON_TEST_CRASH_AFTER_FRAMES` test seam), and SIGQUIT
    /// from outside.
    enum Crash: String, CaseIterable, CustomTestStringConvertible {
        case runtimeTrap, stackOverflow, quitSignal

        /// What the seam is set to, if it is used.
        var seam: String? {
            switch self {
            case .runtimeTrap: return "50"
            case .stackOverflow: return "50:stack-overflow"
            case .quitSignal: return nil
            }
        }

        /// The signals the process may die of: fatalError is ud2 (SIGILL) on x86_64 and brk
        /// (SIGTRAP) on arm64.
        var signals: [Int32] {
            switch self {
            case .runtimeTrap: return [SIGILL, SIGTRAP]
            case .stackOverflow: return [SIGSEGV]
            case .quitSignal: return [SIGQUIT]
            }
        }

        /// What the pane shows of the crash (from standard error, captured while curses ran).
        var message: String {
            switch self {
            case .runtimeTrap: return "Fatal error: BATON_TEST_CRASH_AFTER_FRAMES asked for a crash (trap)"
            case .stackOverflow: return "BATON_TEST_CRASH_AFTER_FRAMES asked for a crash (stack-overflow)"
            case .quitSignal: return "Quit"
            }
        }

        var testDescription: String { rawValue }
    }

    /// The crash handler must give the terminal back before the process dies of the signal,
    /// which it must still do.
    @Test(arguments: Crash.allCases)
    func aCrashRestoresTheTerminalAndDiesOfTheSignal(_ crash: Crash) async throws {
        try requireBinary()
        let session = try Session()
        defer { session.remove() }
        let file = session.directory + "/simulated.yaml"
        // A line every 100 ms draws a frame every 100 ms: the seam's count (50) is reached in
        // about 5 s, time enough for a busy machine to see the console first.
        let lines = (1...120).map { "line \($0)" }.joined(separator: ", ")
        try "name: simulated\nsteps:\n  think:\n    simulate:\n      duration: 12s\n      output: [\(lines)]\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        // The Swift backtracer would otherwise wait 30 s for a key on a terminal.
        var variables = "SWIFT_BACKTRACE=interactive=no"
        if let seam = crash.seam { variables += " BATON_TEST_CRASH_AFTER_FRAMES=\(seam)" }
        try await session.start("run \(file)", variables: variables)
        try await session.waitForConsole(showing: "Graph")
        if crash == .quitSignal {
            let baton = try #require(ProcessTable.baton(withArgument: session.stateDirectory))
            kill(baton, SIGQUIT)
        }
        let status = try await session.waitForExit()
        #expect(crash.signals.map { 128 + $0 }.contains(status), "baton dies of \(crash.signals), not with status \(status)")
        try await session.expectTerminalRestored()
        // The crash report may scroll the first lines away; they are in the scrollback.
        let history = try session.tmux.captureHistory()
        #expect(history.contains(crash.message), "the pane shows what happened:\n\(history)")
        // The Swift runtime's crash report, if there is one, is complete: baton did not die
        // while its reporter was still at work.
        if history.contains("Program crashed") {
            #expect(history.contains("Backtrace took"), "the crash report is cut short:\n\(history)")
        }
    }
}
