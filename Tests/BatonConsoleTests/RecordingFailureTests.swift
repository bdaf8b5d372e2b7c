import BatonEngine
import Foundation
import Testing

/// Real write failures under a real `baton run`: a file size limit, a full disk and a run
/// directory removed mid-run. Each must stop the run from starting anything new, say what
/// failed, exit 3, keep the journal whole, and leave a run that resumes with nothing repeated.
@Suite(.serialized, .timeLimit(.minutes(3))) struct RecordingFailureTests {
    /// Two chains of `count / 2` quick steps that are not idempotent; each appends a line to its
    /// own marker file and prints `noise` bytes of output.
    private func chains(_ count: Int, markers: String, noise: Int = 0) -> String {
        var text = "name: chains\nconcurrency: 2\nsteps:\n"
        for index in 0..<count {
            let chain = index % 2
            text += "  c\(chain)_\(index / 2):\n"
            let print = noise > 0 ? "head -c \(noise) /dev/zero | tr '\\0' x; echo; " : ""
            text += "    run: \(print)echo ok >> '\(markers)/'$BATON_STEP\n"
            if index >= 2 { text += "    needs: [c\(chain)_\(index / 2 - 1)]\n" }
        }
        return text
    }

    /// The `baton` binary the tests run, which must be built.
    private func builtBinary() throws -> String {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        return binary
    }

    private func scratch(_ name: String) throws -> (directory: String, markers: String) {
        let directory = NSTemporaryDirectory() + "baton-\(name)-\(UUID().uuidString.prefix(8))"
        let markers = directory + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        return (directory, markers)
    }

    private func onlyRun(in state: String) throws -> RunDirectory {
        let ids = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
        #expect(ids.count == 1)
        return RunDirectory(path: "\(state)/runs/\(try #require(ids.first))")
    }

    private func markerLines(_ markers: String, _ step: String) -> Int {
        ((try? String(contentsOfFile: "\(markers)/\(step)", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Every step whose marker exists had its start recorded (write-ahead), and no step ran
    /// more often than the journal says it started.
    private func expectNothingRanUnrecorded(_ journal: [RunEvent], markers: String, steps: [String]) {
        for step in steps {
            let starts = journal.filter { $0.step == step && $0.state == .running }.count
            let runs = markerLines(markers, step)
            #expect(runs <= starts, "\(step) ran \(runs) times, the journal recorded \(starts) starts")
        }
    }

    @Test func aFileSizeLimitStopsTheRunWhichResumesWithNothingRepeated() async throws {
        let binary = try builtBinary()
        let (directory, markers) = try scratch("efbig")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try chains(60, markers: markers).write(toFile: directory + "/chains.yaml", atomically: true, encoding: .utf8)
        let state = directory + "/state"

        // 16 blocks of 512 bytes: the journal of 60 steps outgrows it about a third of the way in.
        let limited = try await ChildProcess.finish(
            "/bin/sh", ["-c", "ulimit -f 16; exec '\(binary)' run '\(directory)/chains.yaml' --headless --state-dir '\(state)'"],
            within: .seconds(60))
        #expect(limited.status == 3, "\(limited.output)")
        #expect(limited.output.contains("File too large"), "\(limited.output)")
        #expect(limited.output.contains("could not be recorded"), "\(limited.output)")
        #expect(!limited.output.contains("succeeded 60"))

        let run = try onlyRun(in: state)
        let contents = try run.readJournal()
        #expect(!contents.ignoredTornLine, "the failed batch was cut off")
        let folded = try JournalReader.fold(contents.events)
        #expect(folded.outcome == nil, "the end of the run could not be recorded")
        #expect(folded.isResumable)
        let steps = folded.steps.map(\.id)
        #expect(folded.steps.filter { $0.state == .succeeded }.count < 60)
        expectNothingRanUnrecorded(contents.events, markers: markers, steps: steps)

        // Without the limit the run resumes: what never started runs once; what was running
        // when the journal failed is interrupted and waits for an operator (the resume is
        // unattended, so the run ends waiting for one: exit status 1).
        let resumed = try await ChildProcess.finish(
            binary, ["resume", run.runID, "--headless", "--unattended", "--state-dir", state], within: .seconds(60))
        let after = try JournalReader.fold(try run.readJournal().events)
        for record in after.steps {
            let lines = markerLines(markers, record.id)
            #expect(lines <= 1, "\(record.id) ran \(lines) times")
            if record.state == .succeeded { #expect(lines == 1, "\(record.id) succeeded without running") }
        }
        let interrupted = after.steps.filter { $0.state == .interrupted }
        #expect(resumed.status == (interrupted.isEmpty ? 0 : 1), "\(resumed.output)")
        #expect(after.outcome == (interrupted.isEmpty ? .succeeded : .waitingForOperator))
        #expect(after.steps.allSatisfy { $0.state == .succeeded || $0.state == .interrupted || $0.state == .pending })
    }

    @Test func aRunWhoseLastEventsCannotBeWrittenDoesNotEndAsSucceeded() async throws {
        let binary = try builtBinary()
        let (directory, _) = try scratch("last-batch")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "name: one\nsteps:\n  a:\n    run: \"true\"\n".write(toFile: directory + "/one.yaml", atomically: true, encoding: .utf8)
        let state = directory + "/state"
        // One block of 512 bytes holds `run_started` and `running` (about 410 bytes), not the
        // step's end and `run_finished`, which come in the last batch. Only Baton has the
        // limit: its output goes through `cat` to the test's file.
        let result = try await ChildProcess.finish(
            "/bin/sh", ["-c", "( (ulimit -f 1; exec '\(binary)' run '\(directory)/one.yaml' --headless --state-dir '\(state)') 2>&1; echo EXIT=$? ) | cat"],
            within: .seconds(30))
        let journal = try onlyRun(in: state).readJournal().events
        try #require(journal.count == 2, "the limit should fall in the last batch; the journal has \(journal.count) events")
        #expect(result.output.contains("EXIT=3"), "\(result.output)")
        #expect(result.output.contains("File too large"), "\(result.output)")
        #expect(!result.output.contains("succeeded"), "\(result.output)")
        #expect(try JournalReader.fold(journal).isResumable)
    }

    // Mounting a small disk needs root; CI runs as root.
    @Test(.enabled(if: getuid() == 0)) func aFullDiskStopsTheRunAndSpaceFreedLetsItResume() async throws {
        let binary = try builtBinary()
        let (directory, markers) = try scratch("enospc")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let mounted = try ChildProcess.run("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", state])
        try #require(mounted.status == 0, "mount: \(mounted.output)")
        defer { _ = try? ChildProcess.run("umount", ["-l", state]) }
        try chains(40, markers: markers, noise: 20_000).write(toFile: directory + "/chains.yaml", atomically: true, encoding: .utf8)

        let full = try await ChildProcess.finish(binary, ["run", directory + "/chains.yaml", "--headless", "--state-dir", state], within: .seconds(60))
        #expect(full.status == 3, "\(full.output)")
        #expect(full.output.contains("No space left on device"), "\(full.output)")
        let run = try onlyRun(in: state)
        let contents = try run.readJournal()
        let folded = try JournalReader.fold(contents.events)
        // A step's log may fill the disk first: then the journal, still writable, records
        // the end as interrupted; if the journal fails first, its end is not recorded.
        #expect(folded.outcome == nil || folded.outcome == .interrupted)
        #expect(folded.isResumable)
        expectNothingRanUnrecorded(contents.events, markers: markers, steps: folded.steps.map(\.id))

        // Free space, as an operator would, and resume.
        let grown = try ChildProcess.run("mount", ["-o", "remount,size=16m", state])
        try #require(grown.status == 0, "remount: \(grown.output)")
        let resumed = try await ChildProcess.finish(
            binary, ["resume", run.runID, "--headless", "--unattended", "--state-dir", state], within: .seconds(60))
        let after = try JournalReader.fold(try run.readJournal().events)
        let interrupted = after.steps.filter { $0.state == .interrupted }
        #expect(resumed.status == (interrupted.isEmpty ? 0 : 1), "\(resumed.output)")
        #expect(after.outcome == (interrupted.isEmpty ? .succeeded : .waitingForOperator))
        for record in after.steps {
            let lines = markerLines(markers, record.id)
            #expect(lines <= 1, "\(record.id) ran \(lines) times")
            if record.state == .succeeded { #expect(lines == 1) }
        }
        // The journal takes events again, and what did not run waits only on a step that was
        // running when the disk filled, which an operator must decide on.
        #expect(try run.readJournal().events.contains { $0.kind == .runReopened })
        for (index, record) in after.steps.enumerated() where record.state == .pending {
            let chain = Array(after.steps[..<index]).filter { $0.id.hasPrefix(String(record.id.prefix(3))) }
            #expect(chain.contains { $0.state == .interrupted }, "\(record.id) did not run though nothing it needs is undecided")
        }
        if !interrupted.isEmpty { #expect(resumed.output.contains("interrupted and not idempotent"), "\(resumed.output)") }
    }

    @Test func aJournalThatCannotBeOpenedIsNotRecordedNotInvalidInput() async throws {
        let binary = try builtBinary()
        let (directory, markers) = try scratch("unopenable")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "name: one\nsteps:\n  a:\n    run: touch '\(markers)/a'\n".write(toFile: directory + "/one.yaml", atomically: true, encoding: .utf8)

        // A new run whose state directory cannot be created.
        let fresh = try await ChildProcess.finish(binary, ["run", directory + "/one.yaml", "--headless", "--state-dir", "/dev/null/state"], within: .seconds(30))
        #expect(fresh.status == 3, "\(fresh.output)")
        #expect(fresh.output.contains("cannot record the run"), "\(fresh.output)")

        // A recorded run whose journal can no longer be opened for writing.
        let run = RunDirectory(path: directory + "/state/runs/20260101-000000-0000")
        try FileManager.default.createDirectory(atPath: run.eventsPath, withIntermediateDirectories: true)
        try "name: one\nsteps:\n  a:\n    run: \"true\"\n".write(toFile: run.workflowPath, atomically: true, encoding: .utf8)
        let resumed = try await ChildProcess.finish(binary, ["resume", run.runID, "--headless", "--state-dir", directory + "/state"], within: .seconds(30))
        #expect(resumed.status == 3, "\(resumed.output)")
        #expect(resumed.output.contains("cannot open the journal"), "\(resumed.output)")
        #expect(!FileManager.default.fileExists(atPath: markers + "/a"))
    }

    @Test func aRemovedRunDirectoryStopsTheRunBeforeTheNextStep() async throws {
        let binary = try builtBinary()
        let (directory, markers) = try scratch("removed")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        let workflow = """
            name: removed
            steps:
              remove:
                run: rm -rf '\(state)/runs/'$BATON_RUN_ID
              after:
                needs: [remove]
                run: touch '\(markers)/after'
            """
        try workflow.write(toFile: directory + "/removed.yaml", atomically: true, encoding: .utf8)
        let result = try await ChildProcess.finish(binary, ["run", directory + "/removed.yaml", "--headless", "--state-dir", state], within: .seconds(30))
        #expect(result.status == 3, "\(result.output)")
        #expect(result.output.contains("removed"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: markers + "/after"), "a step started after the journal was gone")
    }
}
