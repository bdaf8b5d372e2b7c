import Foundation
import Synchronization
import Testing

@testable import BatonEngine

#if canImport(Glibc)
import Glibc
#endif

/// Collects what an executor prints, safe to call from any thread.
final class ExecLineCollector: Sendable {
    private let storage = Mutex<[OutputLine]>([])

    var lines: [OutputLine] { storage.withLock { $0 } }
    var texts: [String] { lines.map(\.text) }
    func texts(_ stream: OutputLine.Stream) -> [String] { lines.filter { $0.stream == stream }.map(\.text) }

    /// Takes a chunk's lines.
    func append(_ chunk: OutputChunk) {
        storage.withLock { $0.append(contentsOf: chunk.lines) }
    }

    /// Waits (polling every 10 ms, up to `timeout`) until `condition` holds for the lines.
    /// The timeout is long: on a busy machine the test's own task may wait seconds for a thread.
    func wait(timeout: Duration = .seconds(30), until condition: ([OutputLine]) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if condition(lines) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(lines)
    }
}

/// The process group reported by the executor's start hook.
final class ExecStartedGroups: Sendable {
    private let storage = Mutex<[Int32]>([])
    var groups: [Int32] { storage.withLock { $0 } }
    func record(_ group: Int32) { storage.withLock { $0.append(group) } }

    func waitForFirst(timeout: Duration = .seconds(45)) async -> Int32? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if let first = groups.first { return first }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return groups.first
    }
}

/// A scratch directory removed at deinit.
final class ExecScratchDirectory: Sendable {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/baton-shell-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Whether every process of the group `pgid` is gone, waiting up to `timeout` for the last
/// ones to die: `kill(-pgid, 0)` fails with ESRCH, or only zombies are left. (Orphans are
/// reaped by PID 1, which on this kind of machine does so only about once a second, and a
/// zombie still counts for `kill`.)
func execGroupIsGone(_ pgid: Int32, timeout: Duration = .seconds(20)) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while true {
        if kill(-pgid, 0) == -1 && errno == ESRCH { return true }
        if execLiveMembers(ofGroup: pgid).isEmpty { return true }
        if clock.now >= end { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
}

/// The pids of the processes of group `pgid` that are not zombies, read from /proc.
func execLiveMembers(ofGroup pgid: Int32) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry),
            let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) " come: state ppid pgrp ...
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, fields[0] != "Z", fields[0] != "X", Int32(fields[2]) == pgid else { return nil }
        return pid
    }
}

@Suite("ShellExecutor")
struct ShellExecutorTests {
    let scratch = ExecScratchDirectory()

    func job(
        _ command: String?, environment: [String: String] = [:], directory: String? = nil, stepID: String = "step"
    ) -> ExecutionJob {
        ExecutionJob(
            stepID: stepID, attempt: 1, purpose: .run, command: command, environment: environment,
            directory: directory, outputFile: "\(scratch.path)/\(stepID).out", simulation: nil)
    }

    func run(
        _ job: ExecutionJob, executor: ShellExecutor = ShellExecutor(), control: ExecutionControl = ExecutionControl()
    ) async -> (ExecutionResult, ExecLineCollector) {
        let collector = ExecLineCollector()
        let result = await executor.execute(job, control: control) { collector.append($0) }
        return (result, collector)
    }

    @Test func separatesStdoutFromStderr() async {
        let (result, lines) = await run(job("echo out1; echo err1 >&2; echo out2; echo err2 >&2"))
        #expect(result.termination == .exited(0))
        #expect(lines.texts(.stdout) == ["out1", "out2"])
        #expect(lines.texts(.stderr) == ["err1", "err2"])
        #expect(lines.lines.allSatisfy { $0.stepID == "step" })
    }

    @Test func deliversAFinalLineWithoutNewline() async {
        let (_, lines) = await run(job("printf 'first\\nlast'; printf 'tail' >&2"))
        #expect(lines.texts(.stdout) == ["first", "last"])
        #expect(lines.texts(.stderr) == ["tail"])
    }

    @Test func keepsEmptyLinesAndDropsCarriageReturns() async {
        let (_, lines) = await run(job("printf 'a\\r\\n\\nb\\n'"))
        #expect(lines.texts(.stdout) == ["a", "", "b"])
    }

    @Test func reportsExitCodesAndSignals() async {
        #expect(await run(job("exit 3")).0.termination == .exited(3))
        #expect(await run(job("true")).0.termination == .exited(0))
        #expect(await run(job("false")).0.termination == .exited(1))
        #expect(await run(job("kill -TERM $$")).0.termination == .signalled(SIGTERM))
        let notFound = await run(job("definitely-not-a-command-baton"))
        #expect(notFound.0.termination == .exited(127))
        #expect(notFound.1.texts(.stderr).count == 1)
    }

    @Test func nilCommandSucceedsWithoutOutput() async {
        let (result, lines) = await run(job(nil))
        #expect(result == ExecutionResult(termination: .exited(0)))
        #expect(lines.lines.isEmpty)
    }

    @Test func readsOutputsFromBatonOutput() async {
        let command = """
            echo 'version=1.2.3' >> "$BATON_OUTPUT"
            echo '# a comment' >> "$BATON_OUTPUT"
            echo 'url=http://x/?a=b' >> "$BATON_OUTPUT"
            """
        let (result, _) = await run(job(command, stepID: "outputs"))
        #expect(result.termination == .exited(0))
        #expect(result.outputs == ["version": "1.2.3", "url": "http://x/?a=b"])
        #expect(result.failureReason == nil)
    }

    @Test func aBadOutputFileFailsTheAttemptWithNoOutputs() async {
        // Before, the bad line was dropped and the rest published: now nothing is.
        let (result, _) = await run(job("echo 'not a pair' >> \"$BATON_OUTPUT\"; echo 'ok=1' >> \"$BATON_OUTPUT\"", stepID: "bad"))
        #expect(result.termination == .exited(0))
        #expect(result.outputs.isEmpty)
        #expect(result.outputProblem == StepOutputError(line: 1, #"line 1 is not key=value: "not a pair""#))
        #expect(!result.succeeded)
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/bad.out"), "the file is removed once read")
    }

    @Test func readsAMultiLineOutput() async {
        let (result, _) = await run(job("printf 'notes<<EOF\\nfirst\\nsecond\\nEOF\\n' >> \"$BATON_OUTPUT\"", stepID: "multi"))
        #expect(result.succeeded)
        #expect(result.outputs == ["notes": "first\nsecond"])
    }

    @Test func aRollbackOutputFileIsNotRead() async {
        var rollback = job("echo 'not a pair' >> \"$BATON_OUTPUT\"", stepID: "undo")
        rollback.purpose = .rollback
        let (result, _) = await run(rollback)
        #expect(result.succeeded)
        #expect(result.outputs.isEmpty)
        #expect(result.outputProblem == nil)
        #expect(!FileManager.default.fileExists(atPath: rollback.outputFile))
    }

    @Test func passesEnvironmentAndBatonOutput() async {
        let job = job(
            "echo \"$GREETING\"; echo \"$HOME\"; echo \"$BATON_OUTPUT\"; echo \"${PATH:+path set}\"",
            environment: ["GREETING": "hello world", "HOME": "/nowhere"], stepID: "env")
        let (result, lines) = await run(job)
        #expect(result.succeeded)
        #expect(lines.texts(.stdout) == ["hello world", "/nowhere", job.outputFile, "path set"])
    }

    @Test func runsInTheWorkingDirectory() async throws {
        let directory = "\(scratch.path)/work dir"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (result, lines) = await run(job("pwd -P", directory: directory))
        #expect(result.succeeded)
        let expected = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        #expect(lines.texts(.stdout) == [expected])
    }

    @Test func refusesAMissingWorkingDirectory() async {
        let control = ExecutionControl()
        let (result, lines) = await run(job("echo hi", directory: "/x/baton-missing"), control: control)
        #expect(result.termination == .notStarted)
        #expect(result.failureReason == "working directory '/x/baton-missing' does not exist")
        #expect(lines.lines.isEmpty)
    }

    @Test func refusesAFileAsWorkingDirectory() async {
        let (result, _) = await run(job("echo hi", directory: "/etc/hostname"))
        #expect(result.termination == .notStarted)
        #expect(result.failureReason == "working directory '/etc/hostname' is not a directory")
    }

    @Test func decodesInvalidUTF8WithReplacement() async {
        let (result, lines) = await run(job("printf 'a\\377b\\n'; printf '\\342\\202\\254\\n'"))
        #expect(result.succeeded)
        #expect(lines.texts(.stdout) == ["a\u{FFFD}b", "€"])
    }

    @Test func splitsVeryLongLines() async {
        let (result, lines) = await run(job("head -c 2500000 /dev/zero | tr '\\0' x; echo; echo after"))
        #expect(result.succeeded)
        let texts = lines.texts(.stdout)
        #expect(texts.count == 4)
        #expect(texts.dropLast().map(\.utf8.count) == [1 << 20, 1 << 20, 2_500_000 - 2 << 20])
        #expect(texts.last == "after")
    }

    @Test func streamsLinesWhileTheStepRuns() async {
        let collector = ExecLineCollector()
        let executor = ShellExecutor()
        let task = Task {
            await executor.execute(job("echo first; sleep 0.5; echo second"), control: ExecutionControl()) {
                collector.append($0)
            }
        }
        let result = await task.value
        #expect(result.succeeded)
        #expect(collector.texts == ["first", "second"])
        // Each line was read when it was printed, not when the step ended: half a second apart.
        let times = collector.lines.map(\.time)
        if times.count == 2 { #expect(times[1].timeIntervalSince(times[0]) >= 0.4, "\(times)") }
    }

    @Test func doesNotWaitForBackgroundProcessesHoldingThePipes() async {
        let groups = ExecStartedGroups()
        let executor = ShellExecutor(processStarted: { _, group in groups.record(group) })
        let start = ContinuousClock.now
        let (result, lines) = await run(job("sleep 300 & echo started"), executor: executor)
        let elapsed = start.duration(to: .now)
        #expect(result.succeeded)
        #expect(lines.texts == ["started"])
        #expect(elapsed < .seconds(60))  // far below the 300 s the commands would take
        // The background sleep is left running, as after any shell script; clean it up.
        if let group = groups.groups.first {
            #expect(kill(-group, 0) == 0)
            kill(-group, SIGKILL)
        }
    }

    @Test func terminateStopsTheWholeProcessGroup() async throws {
        let groups = ExecStartedGroups()
        let executor = ShellExecutor(processStarted: { _, group in groups.record(group) })
        let control = ExecutionControl()
        let collector = ExecLineCollector()
        let task = Task {
            await executor.execute(job("sh -c 'sleep 300 & sleep 300' & sleep 300; echo never"), control: control) {
                collector.append($0)
            }
        }
        let group = try #require(await groups.waitForFirst())
        try await Task.sleep(for: .milliseconds(200))  // let the grandchildren start
        let start = ContinuousClock.now
        control.send(.terminate)
        let result = await task.value
        #expect(start.duration(to: .now) < .seconds(60))  // far below the 300 s the commands would take
        #expect(result.termination == .signalled(SIGTERM))
        #expect(result.exitCode == 143)
        #expect(collector.lines.isEmpty)
        #expect(await execGroupIsGone(group))
    }

    @Test func terminateLeavesNothingThatIgnoresIt() async throws {
        let groups = ExecStartedGroups()
        let executor = ShellExecutor(processStarted: { _, group in groups.record(group) })
        let control = ExecutionControl()
        let task = Task {
            await executor.execute(job("sh -c \"trap '' TERM; sleep 300\" & sleep 300"), control: control) { _ in }
        }
        let group = try #require(await groups.waitForFirst())
        try await Task.sleep(for: .milliseconds(300))  // let the inner shell ignore TERM
        let start = ContinuousClock.now
        control.send(.terminate)
        let result = await task.value
        // The shell dies at once; its TERM-proof child gets the stopping grace, then SIGKILL.
        #expect(result.termination == .signalled(SIGTERM))
        #expect(start.duration(to: .now) < .seconds(60))  // far below the 300 s the commands would take
        #expect(await execGroupIsGone(group, timeout: .seconds(10)))
    }

    @Test func killStopsTheWholeProcessGroup() async throws {
        let groups = ExecStartedGroups()
        let executor = ShellExecutor(processStarted: { _, group in groups.record(group) })
        let control = ExecutionControl()
        let task = Task {
            await executor.execute(job("trap '' TERM; sleep 30 & sleep 30"), control: control) { _ in }
        }
        let group = try #require(await groups.waitForFirst())
        try await Task.sleep(for: .milliseconds(100))
        control.send(.kill)
        let result = await task.value
        #expect(result.termination == .signalled(SIGKILL))
        #expect(await execGroupIsGone(group))
    }

    @Test func aSignalSentBeforeStartIsDelivered() async {
        let control = ExecutionControl()
        control.send(.terminate)
        let start = ContinuousClock.now
        let (result, _) = await run(job("sleep 300"), control: control)
        #expect(result.termination == .signalled(SIGTERM))
        #expect(start.duration(to: .now) < .seconds(60))  // far below the 300 s the commands would take
    }

    @Test func cancellingTheTaskKillsTheGroup() async throws {
        let groups = ExecStartedGroups()
        let executor = ShellExecutor(processStarted: { _, group in groups.record(group) })
        let task = Task {
            await executor.execute(job("sleep 30 & sleep 30"), control: ExecutionControl()) { _ in }
        }
        let group = try #require(await groups.waitForFirst())
        task.cancel()
        let result = await task.value
        #expect(result.termination == .signalled(SIGKILL))
        #expect(await execGroupIsGone(group))
    }

    @Test func suspendAndResume() async throws {
        let control = ExecutionControl()
        let collector = ExecLineCollector()
        let executor = ShellExecutor()
        let scratch = ExecScratchDirectory()
        // Counts until told to stop, so a test thread that is slow to be scheduled cannot
        // find the step already finished.
        let stop = scratch.path + "/stop"
        let command = "i=0; until [ -e '\(stop)' ]; do echo $i; i=$((i+1)); sleep 0.05; done"
        let task = Task {
            await executor.execute(job(command), control: control) { collector.append($0) }
        }
        #expect(await collector.wait { $0.count >= 3 })
        control.send(.suspend)
        // A line already on its way may land, late on a busy machine: wait until two looks
        // 200 ms apart agree (for at most 4 s; a step that goes on printing fails below).
        var countWhileSuspended = collector.lines.count
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(200))
            if collector.lines.count == countWhileSuspended { break }
            countWhileSuspended = collector.lines.count
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(collector.lines.count == countWhileSuspended, "a suspended step prints nothing")
        control.send(.resume)
        #expect(await collector.wait { $0.count >= countWhileSuspended + 3 }, "a resumed step goes on")
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        let result = await task.value
        #expect(result.succeeded)
        // Nothing was lost or repeated across the pause: the count goes on where it stopped.
        #expect(collector.texts == (0..<collector.texts.count).map(String.init))
    }

    @Test func terminatesASuspendedStep() async throws {
        let groups = ExecStartedGroups()
        let executor = ShellExecutor(processStarted: { _, group in groups.record(group) })
        let control = ExecutionControl()
        let task = Task { await executor.execute(job("sleep 30"), control: control) { _ in } }
        let group = try #require(await groups.waitForFirst())
        control.send(.suspend)
        try await Task.sleep(for: .milliseconds(100))
        control.send(.terminate)
        let result = await task.value
        #expect(result.termination == .signalled(SIGTERM))
        #expect(await execGroupIsGone(group))
    }

    @Test func watchesExitsWithoutPidfd() async {
        let executor = ShellExecutor(processStarted: nil, usePidfd: false)
        let (quick, quickLines) = await run(job("echo hi; exit 4"), executor: executor)
        #expect(quick.termination == .exited(4))
        #expect(quickLines.texts == ["hi"])
        let (slow, slowLines) = await run(job("sleep 0.2; echo late >&2"), executor: executor)
        #expect(slow.succeeded)
        #expect(slowLines.texts(.stderr) == ["late"])
    }

    @Test func runsManyStepsConcurrently() async {
        let executor = ShellExecutor()
        let results = await withTaskGroup(of: (Int, ExecutionResult, [String]).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let collector = ExecLineCollector()
                    let job = self.job("echo \(index); exit \(index % 3)", stepID: "s\(index)")
                    let result = await executor.execute(job, control: ExecutionControl()) { collector.append($0) }
                    return (index, result, collector.texts)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 40)
        for (index, result, texts) in results {
            #expect(result.termination == .exited(Int32(index % 3)))
            #expect(texts == ["\(index)"])
        }
    }
}

@Suite("ProcessLineSplitter")
struct ProcessLineSplitterTests {
    func split(_ chunks: [String], maxLineBytes: Int = ProcessLineSplitter.defaultMaxLineBytes, keepWhole: [String] = []) -> [String] {
        var splitter = ProcessLineSplitter(maxLineBytes: maxLineBytes, keepWhole: keepWhole)
        var lines: [String] = []
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { splitter.feed($0) { lines += OutputChunk.lines(in: $0, last: .max).map(\.0) } }
        }
        splitter.finish { lines += OutputChunk.lines(in: $0, last: .max).map(\.0) }
        return lines
    }

    @Test func joinsLinesAcrossChunks() {
        #expect(split(["ab", "c\nde", "f\n", "g"]) == ["abc", "def", "g"])
        #expect(split(["\n\n"]) == ["", ""])
        #expect(split([]) == [])
        #expect(split(["x\r\n", "y\r", "\n"]) == ["x", "y"])
    }

    @Test func cutsOverlongLinesOnCharacterBoundaries() {
        #expect(split(["abcdefghij\n"], maxLineBytes: 4) == ["abcd", "efgh", "ij"])
        // "é" is two bytes: a cut never splits it.
        #expect(split(["aaaé\n"], maxLineBytes: 4) == ["aaa", "é"])
        #expect(split(["ab", "cdef", "gh"], maxLineBytes: 4) == ["abcd", "efgh"])
    }

    @Test func cutsNeverFallInsideAKeptText() {
        // The cut at 16 would fall inside SECRET; the piece ends before it.
        #expect(split(["0123456789abSECRETcdef\n"], maxLineBytes: 16, keepWhole: ["SECRET"]) == ["0123456789ab", "SECRETcdef"])
        // Only the start of SECRET has arrived when the cut is made: it is kept for the next piece.
        #expect(split(["0123456789abcdeSEC", "RET\n"], maxLineBytes: 16, keepWhole: ["SECRET"]) == ["0123456789abcde", "SECRET"])
        // Bytes that only look like the start of a kept text until they differ are cut as usual.
        #expect(split(["0123456789abcdeSEX\n"], maxLineBytes: 16, keepWhole: ["SECRET"]) == ["0123456789abcdeS", "EX"])
        // Without kept texts the cut is where it always was.
        #expect(split(["0123456789abSECRETcdef\n"], maxLineBytes: 16) == ["0123456789abSECR", "ETcdef"])
    }
}
