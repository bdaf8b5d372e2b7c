import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `baton logs` with the real binary: a finished run's log exactly as the step printed it, its
/// tail and one stream, escaped on a terminal; clear errors for runs and steps that do not
/// exist; and `-f` on live runs, which ends with the step, with the run's Baton, or with a log
/// truncated under it.
@Suite(.timeLimit(.minutes(2))) struct LogsCommandTests {
    static var binary: String { ConsoleEndToEndTests.binary }

    /// A scratch folder with a state directory in it.
    struct Scratch {
        let path = NSTemporaryDirectory() + "baton-logs-\(UUID().uuidString.prefix(8))"
        let state: String

        /// With `hostless`, the state directory's path is too long for a run's socket, so
        /// runs have no host and a follower learns from the journal's lock whether they live.
        init(hostless: Bool = false) throws {
            state = path + (hostless ? "/" + String(repeating: "d", count: 100) : "") + "/state"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        /// Writes a workflow file and returns its path.
        func workflow(_ text: String) throws -> String {
            let file = path + "/workflow.yaml"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }

        /// The id of the run recorded here, once its journal exists.
        func runID() async throws -> String {
            let deadline = ContinuousClock.now + .seconds(45)
            while ContinuousClock.now < deadline {
                if let run = try? FileManager.default.contentsOfDirectory(atPath: state + "/runs").first,
                   FileManager.default.fileExists(atPath: "\(state)/runs/\(run)/events.jsonl") {
                    return run
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw ChildProcess.Failure(description: "no run appeared in \(state)")
        }
    }

    /// Runs `baton ARGUMENTS` with stdout into a file; returns the exit status, stdout's bytes
    /// exactly, and stderr.
    func stdout(_ arguments: [String]) async throws -> (status: Int32, bytes: [UInt8], stderr: String) {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build baton first: swift build")
        let file = NSTemporaryDirectory() + "baton-logs-out-\(UUID().uuidString.prefix(8))"
        defer { unlink(file) }
        let result = try await ChildProcess.finish("/bin/sh", ["-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", file, Self.binary] + arguments, within: .seconds(45))
        let bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) } ?? []
        return (result.status, bytes, result.output)
    }

    @Test func aFinishedRunsLogComesAsTheStepPrintedItWhole() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.workflow("""
            name: printed
            steps:
              talk:
                run: printf 'one\\n\\033[31mred\\n'; printf 'bad \\377\\000 bytes\\n'; echo err >&2; printf 'no newline'
              broken:
                needs: [talk]
                run: exit 3
              never:
                needs: [broken]
                run: echo never
              flaky:
                run: printf 'cut'; test -e '\(scratch.path)/again' || { touch '\(scratch.path)/again'; exit 1; }; echo whole
                retry:
                  attempts: 2
                  backoff: 0s
            """)
        let ran = try await ChildProcess.finish(Self.binary, ["run", file, "--unattended", "--state-dir", scratch.state], within: .seconds(45))
        #expect(ran.status == 1, "the run waits for an operator on 'broken':\n\(ran.output)")
        let run = try await scratch.runID()
        let log = try #require(FileManager.default.contents(atPath: "\(scratch.state)/runs/\(run)/logs/talk.log"))

        let whole = try await stdout(["logs", run, "talk", "--state-dir", scratch.state])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.bytes == [UInt8](log), "into a file, the bytes are the log's")
        #expect(String(decoding: whole.bytes, as: UTF8.self).hasPrefix("attempt 1 of 1 started "))

        let followed = try await stdout(["logs", run, "talk", "-f", "--state-dir", scratch.state])
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(followed.bytes == [UInt8](log), "-f on a finished run prints the log and ends")
        #expect(followed.stderr.isEmpty, "\(followed.stderr)")

        let tail = try await stdout(["logs", run, "talk", "--stream", "stdout", "--tail", "2", "--state-dir", scratch.state])
        #expect(tail.status == 0, "\(tail.stderr)")
        #expect(tail.bytes == Array("bad ".utf8) + [0xFF, 0x00] + Array(" bytes\nno newline".utf8))
        let stderr = try await stdout(["logs", run, "talk", "--stream", "stderr", "--state-dir", scratch.state])
        #expect(String(decoding: stderr.bytes, as: UTF8.self) == "err\n")
        let last = try await stdout(["logs", run, "talk", "--tail", "1", "--state-dir", scratch.state])
        #expect(String(decoding: last.bytes, as: UTF8.self).hasPrefix("attempt 1 ended: exit 0 after "))

        // Attempts are kept apart by Baton's lines, even where those are left out.
        let attempts = try await stdout(["logs", run, "flaky", "--stream", "stdout", "--state-dir", scratch.state])
        #expect(String(decoding: attempts.bytes, as: UTF8.self) == "cut\ncutwhole\n", "\(attempts.stderr)")

        let blocked = try await stdout(["logs", run, "never", "--state-dir", scratch.state])
        #expect(blocked.status == 0 && blocked.bytes.isEmpty, "a step that printed nothing prints nothing: \(blocked.stderr)")
    }

    @Test func unknownRunsAndStepsAreInvalidInputNamingWhatExists() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.workflow("""
            name: two
            steps:
              build:
                run: echo built
              deploy:
                needs: [build]
                run: echo deployed
            """)
        let ran = try await ChildProcess.finish(Self.binary, ["run", file, "--headless", "--state-dir", scratch.state], within: .seconds(45))
        #expect(ran.status == 0, "\(ran.output)")
        let run = try await scratch.runID()

        let step = try await ChildProcess.finish(Self.binary, ["logs", run, "deploi", "--state-dir", scratch.state])
        #expect(step.status == 2, "\(step.output)")
        #expect(step.output.contains("run \(run) has no step 'deploi'; its steps are build, deploy; did you mean 'deploy'?"), "\(step.output)")
        let followed = try await ChildProcess.finish(Self.binary, ["logs", run, "ghost", "-f", "--state-dir", scratch.state])
        #expect(followed.status == 2, "\(followed.output)")
        let unknown = try await ChildProcess.finish(Self.binary, ["logs", "no-such-run", "build", "--state-dir", scratch.state])
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.output.contains("no run 'no-such-run'"), "\(unknown.output)")
        let negative = try await ChildProcess.finish(Self.binary, ["logs", run, "build", "--tail=-1", "--state-dir", scratch.state])
        #expect(negative.status == 2, "\(negative.output)")
        #expect(negative.output.contains("--tail must be 0 or more"), "\(negative.output)")
    }

    @Test func onATerminalControlCharactersAreWrittenOut() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        _ = try TmuxSession.tmux(["-V"])
        let file = try scratch.workflow("""
            name: hostile
            steps:
              talk:
                run: printf 'plain\\n\\033]0;pwned\\007\\033[31mred\\n'
            """)
        let ran = try await ChildProcess.finish(Self.binary, ["run", file, "--headless", "--state-dir", scratch.state], within: .seconds(45))
        #expect(ran.status == 0, "\(ran.output)")
        let run = try await scratch.runID()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(Self.binary) logs \(run) talk --state-dir \(scratch.state); echo \"exit=$?\"")
        let screen = try await tmux.waitFor("exit=0")
        #expect(screen.contains("\\e]0;pwned\\a\\e[31mred"), "\(screen)")
        #expect(screen.contains("plain"))
        #expect(try tmux.format("#{pane_title}") != "pwned", "the log did not set the title")
    }

    /// A workflow whose step `talk` prints a line, waits for the file `go`, then prints another
    /// on stderr; `after` waits for `go2`, so the run stays live after `talk` ends.
    func waitingWorkflow(in scratch: Scratch, marker: String) throws -> String {
        try scratch.workflow("""
            name: waits
            env:
              LOGS_TEST: \(marker)
            steps:
              talk:
                run: echo first; until [ -e '\(scratch.path)/go' ]; do sleep 0.05; done; echo second >&2
              after:
                needs: [talk]
                run: until [ -e '\(scratch.path)/go2' ]; do sleep 0.05; done; echo after
            """)
    }

    @Test func followingALiveStepPrintsWhatComesAndEndsWithTheStep() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let marker = UUID().uuidString
        defer { ProcessTable.killAll(carrying: "LOGS_TEST=\(marker)") }
        let file = try waitingWorkflow(in: scratch, marker: marker)
        let baton = try ChildProcess.start(Self.binary, ["run", file, "--headless", "--state-dir", scratch.state])
        var reaped = false
        defer {
            if !reaped {
                kill(baton.pid, SIGKILL)
                _ = try? baton.wait(limit: .seconds(10))
            }
        }
        let run = try await scratch.runID()
        // Started as soon as the run exists, the follower may find no log yet: it waits for one.
        let follower = try ChildProcess.start(Self.binary, ["logs", run, "talk", "-f", "--state-dir", scratch.state])
        try await follower.waitForOutput("the first line") { $0.contains("first\n") }
        #expect(FileManager.default.createFile(atPath: scratch.path + "/go", contents: nil))
        let followed = try await follower.exit(within: .seconds(45))
        #expect(followed.status == 0, "\(followed.output)")
        let lines = followed.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(followed.output)")
        #expect(lines.first?.hasPrefix("attempt 1 of 1 started ") == true, "\(followed.output)")
        #expect(Array(lines.dropFirst().prefix(2)) == ["first", "second"], "\(followed.output)")
        #expect(lines.last?.hasPrefix("attempt 1 ended: exit 0 after ") == true, "\(followed.output)")
        #expect(ProcessTable.isLive(baton.pid), "the follow ended with its step, while the run went on")

        #expect(FileManager.default.createFile(atPath: scratch.path + "/go2", contents: nil))
        let result = try await baton.exit(within: .seconds(45))
        reaped = true
        #expect(result.status == 0, "\(result.output)")
    }

    @Test(arguments: [false, true])
    func followingEndsWhenTheRunsBatonDies(hostless: Bool) async throws {
        let scratch = try Scratch(hostless: hostless)
        defer { scratch.remove() }
        let marker = UUID().uuidString
        defer { ProcessTable.killAll(carrying: "LOGS_TEST=\(marker)") }
        let file = try waitingWorkflow(in: scratch, marker: marker)
        let baton = try ChildProcess.start(Self.binary, ["run", file, "--headless", "--state-dir", scratch.state])
        var reaped = false
        defer {
            if !reaped {
                kill(baton.pid, SIGKILL)
                _ = try? baton.wait(limit: .seconds(10))
            }
        }
        let run = try await scratch.runID()
        let talk = try ChildProcess.start(Self.binary, ["logs", run, "talk", "-f", "--state-dir", scratch.state])
        // A step that has not started is followed too, until the run's end.
        let after = try ChildProcess.start(Self.binary, ["logs", run, "after", "-f", "--state-dir", scratch.state])
        try await talk.waitForOutput("the first line") { $0.contains("first\n") }
        #expect(FileManager.default.fileExists(atPath: "\(scratch.state)/runs/\(run)/host.sock") != hostless)

        kill(baton.pid, SIGKILL)
        _ = try baton.wait(limit: .seconds(10))
        reaped = true
        for follower in [talk, after] {
            let followed = try await follower.exit(within: .seconds(45))
            #expect(followed.status == 0, "\(followed.output)")
            #expect(followed.output.contains("baton: run \(run): no Baton serves the run any more (baton resume \(run) takes it up)"),
                    "\(followed.output)")
        }
    }

    @Test func aLogTruncatedWhileFollowedEndsTheFollowSayingSo() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let marker = UUID().uuidString
        defer { ProcessTable.killAll(carrying: "LOGS_TEST=\(marker)") }
        let file = try waitingWorkflow(in: scratch, marker: marker)
        let baton = try ChildProcess.start(Self.binary, ["run", file, "--headless", "--state-dir", scratch.state])
        defer {
            kill(baton.pid, SIGKILL)
            _ = try? baton.wait(limit: .seconds(10))
        }
        let run = try await scratch.runID()
        let follower = try ChildProcess.start(Self.binary, ["logs", run, "talk", "-f", "--state-dir", scratch.state])
        try await follower.waitForOutput("the first line") { $0.contains("first\n") }
        #expect(truncate("\(scratch.state)/runs/\(run)/logs/talk.log", 0) == 0)
        let followed = try await follower.exit(within: .seconds(45))
        #expect(followed.status == 1, "\(followed.output)")
        #expect(followed.output.contains("stopped following: \(scratch.state)/runs/\(run)/logs/talk.log was truncated"), "\(followed.output)")
    }
}
