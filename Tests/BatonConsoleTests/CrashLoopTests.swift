import BatonEngine
import Foundation
import Testing

/// The crash loop of bench/crash_loop.py, shorter: SIGKILL Baton at random instants of a run of
/// steps that are not idempotent, resume it each time with an operator deciding on interrupted
/// steps, and count the steps that ran twice or never. Both must be 0: a step's process starts
/// only once its start is on disk, so a resume never runs again what it does not know ran.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CrashLoopTests {
    static let steps = 200
    static let kills = 15

    private var crashOperator: String { ConsoleEndToEndTests.root + "/.build/debug/crash-operator" }

    /// Two chains of `steps / 2`; each step appends a line to its own marker file as its last act.
    private func workflow(markers: String) -> String {
        var text = "name: crash-loop\nconcurrency: 2\nsteps:\n"
        for index in 0..<Self.steps {
            let (chain, position) = (index % 2, index / 2)
            text += "  c\(chain)_\(position):\n    run: echo ok >> '\(markers)/'$BATON_STEP\n"
            if position > 0 { text += "    needs: [c\(chain)_\(position - 1)]\n" }
        }
        return text
    }

    /// Resumes the run with `crash-operator` and SIGKILLs it a random while after it has
    /// recorded its resume (every other time, at a random instant of its start instead), unless
    /// it ended first; returns its exit status.
    private func resumeAndKill(_ run: String, markers: String, delay: Duration, duringStart: Bool) async throws -> ChildProcess.Result {
        let journal = run + "/events.jsonl"
        let before = Self.resumes(in: journal)
        let child = try ChildProcess.start(crashOperator, [run, markers])
        if !duringStart {
            let deadline = ContinuousClock.now + .seconds(30)
            while Self.resumes(in: journal) == before && ContinuousClock.now < deadline {
                var info = siginfo_t()
                if waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo != 0 { break }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        try await Task.sleep(for: delay)
        kill(child.pid, SIGKILL)
        return try await child.exit(within: .seconds(30))
    }

    /// How many resumes the journal records.
    private static func resumes(in journal: String) -> Int {
        ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").components(separatedBy: "\"run_reopened\"").count - 1
    }

    @Test func killedAgainAndAgainNoStepRunsTwiceOrNever() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        try #require(FileManager.default.isExecutableFile(atPath: crashOperator), "build the tests first: swift build --build-tests")
        let directory = NSTemporaryDirectory() + "baton-crash-loop-\(UUID().uuidString.prefix(8))"
        let markers = directory + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try workflow(markers: markers).write(toFile: directory + "/loop.yaml", atomically: true, encoding: .utf8)
        let state = directory + "/state"
        var generator = SystemRandomNumberGenerator()
        func randomDelay() -> Duration { .milliseconds(Int.random(in: 1...15, using: &generator)) }

        var kills = 0
        // The first kill lands once the run is recorded, so that there is a run to resume.
        let child = try ChildProcess.start(binary, ["run", directory + "/loop.yaml", "--headless", "--state-dir", state])
        var runs: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            runs = (try? FileManager.default.contentsOfDirectory(atPath: state + "/runs")) ?? []
            if let id = runs.first,
               let text = try? String(contentsOfFile: "\(state)/runs/\(id)/events.jsonl", encoding: .utf8),
               text.contains("\"running\"") { break }
            try await Task.sleep(for: .milliseconds(1))
        }
        try await Task.sleep(for: randomDelay())
        kill(child.pid, SIGKILL)
        let first = try await child.exit(within: .seconds(30))
        if first.status == 128 + SIGKILL { kills += 1 }
        let id = try #require(runs.first, "the run was never recorded: \(first.output)")
        let run = "\(state)/runs/\(id)"
        var finished = first.status == 0
        while kills < Self.kills && !finished {
            let resumed = try await resumeAndKill(run, markers: markers, delay: randomDelay(), duringStart: kills % 2 == 1)
            if ProcessInfo.processInfo.environment["BATON_CRASH_LOOP_TRACE"] != nil {
                print("CrashLoopTests: kill \(kills): status \(resumed.status), \(Self.resumes(in: run + "/events.jsonl")) resumes")
            }
            if resumed.status == 128 + SIGKILL {
                kills += 1
            } else {
                #expect(resumed.status == 0, "crash-operator: \(resumed.output)")
                finished = true
            }
        }
        if !finished {
            let last = try await ChildProcess.finish(crashOperator, [run, markers], within: .seconds(60))
            #expect(last.status == 0, "the last resume: \(last.output)")
        }

        var twice: [String] = []
        var never: [String] = []
        let folded = try JournalReader.fold(try RunDirectory(path: run).readJournal().events)
        #expect(folded.outcome == .succeeded)
        for record in folded.steps {
            let lines = ((try? String(contentsOfFile: "\(markers)/\(record.id)", encoding: .utf8)) ?? "").split(separator: "\n").count
            if lines > 1 { twice.append(record.id) }
            if lines == 0 { never.append(record.id) }
        }
        let events = try RunDirectory(path: run).readJournal().events
        let reopened = events.filter { $0.kind == .runReopened }.count
        let cutOff = events.filter { $0.state == .interrupted }.count
        print("CrashLoopTests: \(kills) SIGKILLs, \(Self.steps) steps, \(reopened) resumes recorded, \(cutOff) steps cut off mid-run; run twice: \(twice.count), never: \(never.count)")
        #expect(twice.isEmpty, "ran twice: \(twice)")
        #expect(never.isEmpty, "never ran: \(never)")
    }
}
