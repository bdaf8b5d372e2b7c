import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// The shell completions `baton --generate-completion-script` writes: they load in bash, zsh
/// and fish, and offer the runs of a state directory and the steps of the run on the line
/// that the command may act on, without ever printing an error into the shell.
@Suite(.timeLimit(.minutes(2))) struct ShellCompletionTests {
    private static let liveRun = "20270301-090000-bbbb"
    private static let finishedRun = "20270301-080000-aaaa"

    /// A workflow whose steps are those of the live run's journal, in its order.
    private static let workflowText = """
        name: gated
        steps:
          build:
            run: "true"
          fix:
            run: "false"
          ship:
            needs: [build]
            approval: true
          later:
            needs: [ship, fix]
            run: "true"

        """

    /// The run waits for an operator because gate 'ship' waits.
    private static var waitingForShip: RunEvent {
        var waiting = RunEvent(kind: .runWaiting)
        waiting.reasons = ["'ship' is waiting for approval by any operator"]
        waiting.steps = ["ship"]
        return waiting
    }

    /// A state directory with a finished run and, newer, a run that waits at gate 'ship' with
    /// 'fix' failed and 'later' pending.
    private static func makeStateDirectory() throws -> StateDirectory {
        let state = StateDirectory(path: NSTemporaryDirectory() + "baton-completion-\(UUID().uuidString.prefix(8))")
        try JournalBuilder(runID: finishedRun).runStarted(steps: ["build"]).succeeded("build").finished(.succeeded)
            .write(to: state.runDirectory(finishedRun), workflowText: "name: done\nsteps:\n  build:\n    run: \"true\"\n")
        try JournalBuilder(runID: liveRun, startTime: 1_803_000_000).runStarted(steps: ["build", "fix", "ship", "later"])
            .succeeded("build").step("fix", .running).step("fix", .failed).step("ship", .waiting).appending(waitingForShip)
            .write(to: state.runDirectory(liveRun), workflowText: workflowText)
        return state
    }

    /// Holds the lock a Baton writing the run holds, so the run counts as live.
    private static func holdJournalLock(of run: RunDirectory) throws -> Int32 {
        let fd = open(run.eventsPath, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0, "cannot lock \(run.eventsPath)")
        return fd
    }

    /// What bash's completion offers for the last of `words` (the words after `baton`), by the
    /// generated script's own function, as when TAB is pressed at the end of the line.
    private func bashCompletes(_ words: [String]) async throws -> [String] {
        let script = """
            source <("$1" --generate-completion-script bash) || exit 3
            COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            _baton "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try await ChildProcess.finish("bash", ["-c", script, "bash", ConsoleEndToEndTests.binary] + words)
        #expect(result.status == 0, "\(result.output)")
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func theScriptIsMadeAndLoads(shell: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let made = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["--generate-completion-script", shell])
        #expect(made.status == 0)
        // The run and the step of `baton approve RUN STEP` are completed by Baton when TAB is pressed.
        #expect(made.output.contains("---completion approve -- positional@0"), "\(made.output.prefix(300))")
        #expect(made.output.contains("---completion approve -- positional@1"), "\(made.output.prefix(300))")

        let file = NSTemporaryDirectory() + "baton-completion-\(UUID().uuidString.prefix(8)).\(shell)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try made.output.write(toFile: file, atomically: true, encoding: .utf8)
        let check: [String]
        let expected: String
        switch shell {
        case "bash":
            check = ["-c", "source \(file) && complete -p baton"]
            expected = "complete -o filenames -F _baton baton"
        case "zsh":
            // -f: no startup files; compinit -D: no dump file written.
            check = ["-f", "-c", "autoload -U compinit && compinit -u -D && source \(file) && whence -w _baton"]
            expected = "_baton: function"
        default:
            check = ["--no-config", "-c", "source \(file); and complete -c baton"]
            expected = "Approve a gate of a live run, as you."
        }
        let loaded = try await ChildProcess.finish(shell, check)
        #expect(loaded.status == 0, "\(shell): \(loaded.output)")
        #expect(loaded.output.contains(expected), "\(shell): \(loaded.output)")
    }

    @Test func runIDsComeFromTheStateDirectoryOnTheLine() async throws {
        let state = try Self.makeStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let lock = try Self.holdJournalLock(of: state.runDirectory(Self.liveRun))
        defer { close(lock) }

        // A verb that acts on a live run offers the live run; replay and logs offer every run.
        #expect(try await bashCompletes(["approve", "--state-dir", state.path, ""]) == [Self.liveRun])
        #expect(try await bashCompletes(["replay", "--state-dir=\(state.path)", ""]) == [Self.liveRun, Self.finishedRun])
        #expect(try await bashCompletes(["logs", "--state-dir", state.path, "20270301-08"]) == [Self.finishedRun])
        #expect(try await bashCompletes(["runs", "--state-dir", state.path, "--audit", "2027"]) == [Self.liveRun, Self.finishedRun])
        // The shell hands the words over as typed: a quoted state directory is read without its quotes.
        #expect(try await bashCompletes(["replay", "--state-dir", "'\(state.path)'", "2027"]) == [Self.liveRun, Self.finishedRun])
    }

    @Test func stepsAreThoseOfTheRunOnTheLineThatTheVerbMayActOn() async throws {
        let state = try Self.makeStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let lock = try Self.holdJournalLock(of: state.runDirectory(Self.liveRun))
        defer { close(lock) }
        let line = ["--state-dir", state.path, Self.liveRun]

        #expect(try await bashCompletes(["approve"] + line + [""]) == ["ship"])
        #expect(try await bashCompletes(["reject", "-m", "not now"] + line + [""]) == ["ship"])
        #expect(try await bashCompletes(["retry"] + line + [""]) == ["fix"])
        #expect(try await bashCompletes(["hold"] + line + [""]) == ["later"])
        #expect(try await bashCompletes(["logs"] + line + [""]) == ["build", "fix", "ship", "later"])
        #expect(try await bashCompletes(["logs"] + line + ["f"]) == ["fix"])
        // A run directory given by its path is a run on the line too.
        #expect(try await bashCompletes(["approve", state.runDirectory(Self.liveRun).path, ""]) == ["ship"])
        // A word that names no run: the newest live run waiting for an operator.
        #expect(try await bashCompletes(["approve", "--state-dir", state.path, "no-such-run", ""]) == ["ship"])
    }

    @Test func aWorkflowFileIsAYAMLFileOrAFolderToFindOneIn() async throws {
        let folder = NSTemporaryDirectory() + "baton-completion-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/nested", withIntermediateDirectories: true)
        for name in ["deploy.yaml", "build.yml", "notes.txt"] {
            #expect(FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data()))
        }
        let offered = Set(try await bashCompletes(["validate", folder + "/"]))
        #expect(offered == ["\(folder)/deploy.yaml", "\(folder)/build.yml", "\(folder)/nested"], "\(offered)")
        #expect(Set(try await bashCompletes(["run", "--state-dir", folder + "/"])) == ["\(folder)/nested"])
    }

    /// In an interactive zsh and fish, TAB completes the live run's id, then its waiting gate.
    @Test(arguments: ["zsh", "fish"])
    func tabCompletesTheRunAndTheGateInAnInteractiveShell(shell: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let state = try Self.makeStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state.path) }
        let lock = try Self.holdJournalLock(of: state.runDirectory(Self.liveRun))
        defer { close(lock) }
        let home = state.path + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let script = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["--generate-completion-script", shell])
        try script.output.write(toFile: "\(home)/baton.\(shell)", atomically: true, encoding: .utf8)

        let command: String
        if shell == "zsh" {
            try "PS1='ready> '\nautoload -U compinit && compinit -u -D\nsource \(home)/baton.zsh\n"
                .write(toFile: home + "/.zshrc", atomically: true, encoding: .utf8)
            command = "zsh -i"
        } else {
            command = "fish --no-config -C 'function fish_prompt; echo -n \"ready> \"; end; source \(home)/baton.fish'"
        }
        // The scripts complete the command named `baton`: the one built here, first on the PATH.
        let binFolder = (ConsoleEndToEndTests.binary as NSString).deletingLastPathComponent
        let session = TmuxSession()
        defer { session.kill() }
        try session.start(
            "PATH='\(binFolder)':\"$PATH\" \(command)",
            environment: ["HOME": home, "ZDOTDIR": home, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home])
        try await session.waitFor("ready>")
        try session.type("baton approve --state-dir \(state.path) 2027")
        try session.send("Tab")
        try await session.waitFor("--state-dir \(state.path) \(Self.liveRun)")
        try session.send("Tab")
        try await session.waitFor("--state-dir \(state.path) \(Self.liveRun) ship")
    }

    /// Runs the completion as the scripts call it (`baton ---completion …`) for the words of a line.
    private func completion(_ command: String, _ argument: String, _ words: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.finish(
            ConsoleEndToEndTests.binary,
            ["---completion", command, "--", argument, "\(words.count - 1)", "\(words.last?.count ?? 0)"] + words)
    }

    @Test func aMissingOrGarbledStateDirectoryOffersNothingAndSaysNothing() async throws {
        let root = NSTemporaryDirectory() + "baton-completion-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let garbled = StateDirectory(path: root + "/garbled")
        for (id, bytes) in [("20270301-070000-aaaa", Array("not json {\n".utf8)), ("20270301-070000-bbbb", [0xFF, 0x00, 0xC3, 0x28, 0x0A])] {
            let run = garbled.runDirectory(id)
            try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: run.eventsPath, contents: Data(bytes)))
        }
        // A state path that is a file, not a folder.
        let file = root + "/file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))

        for stateDir in [root + "/missing", file, garbled.path] {
            for (command, argument, words) in [
                ("approve", "positional@0", ["baton", "approve", "--state-dir", stateDir, ""]),
                ("approve", "positional@1", ["baton", "approve", "--state-dir", stateDir, "20270301-070000-aaaa", ""]),
                ("logs", "positional@1", ["baton", "logs", "--state-dir", stateDir, "20270301-070000-bbbb", ""]),
                ("retry", "positional@1", ["baton", "retry", "--state-dir", stateDir, "no-such-run", ""]),
            ] {
                let result = try await completion(command, argument, words)
                #expect(result.status == 0, "\(words): \(result.output)")
                #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(words): \(result.output)")
            }
        }
        // A garbled run on the line offers nothing, not the steps of the live run that waits.
        let live = garbled.runDirectory("20270301-080000-cccc")
        try JournalBuilder(runID: "20270301-080000-cccc").runStarted(steps: ["build", "fix", "ship", "later"])
            .succeeded("build").step("ship", .waiting).appending(Self.waitingForShip)
            .write(to: live, workflowText: Self.workflowText)
        let lock = try Self.holdJournalLock(of: live)
        defer { close(lock) }
        let named = try await completion("approve", "positional@1", ["baton", "approve", "--state-dir", garbled.path, "20270301-070000-aaaa", ""])
        #expect(named.status == 0 && named.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(named.output)")
        let unnamed = try await completion("approve", "positional@1", ["baton", "approve", "--state-dir", garbled.path, "no-such-run", ""])
        #expect(unnamed.output == "ship\n", "\(unnamed.output)")
        try FileManager.default.removeItem(atPath: live.path)

        // The garbled runs are still run ids where every recorded run is offered.
        let listed = try await completion("replay", "positional@0", ["baton", "replay", "--state-dir", garbled.path, ""])
        #expect(listed.output == "20270301-070000-bbbb\n20270301-070000-aaaa\n", "\(listed.output)")
    }
}
