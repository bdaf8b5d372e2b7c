import BatonEngine
import Foundation
import Testing

/// Two `baton resume` calls on one run at once: one takes the run up, the other is refused,
/// always with the same status and message, whichever starts first and however they overlap.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ConcurrentResumeTests {
    @Test(arguments: [0, 15, 60]) func theSecondResumeIsAlwaysRefusedTheSameWay(staggerMilliseconds: Int) async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build")
        let directory = NSTemporaryDirectory() + "baton-two-resumes-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The first run sleeps long and is killed; a resume's run of the step lasts until the
        // test lets it end, once the other resume has given up, so the two always overlap.
        let workflow = """
            name: twice
            steps:
              work:
                run: if [ -e '\(directory)/first' ]; then until [ -e '\(directory)/release' ]; do sleep 0.05; done; else touch '\(directory)/first'; sleep 30; fi
            """
        try workflow.write(toFile: directory + "/twice.yaml", atomically: true, encoding: .utf8)
        let state = directory + "/state"
        let first = try ChildProcess.start(binary, ["run", directory + "/twice.yaml", "--headless", "--state-dir", state])
        let deadline = ContinuousClock.now + .seconds(45)
        while !FileManager.default.fileExists(atPath: directory + "/first") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(first.pid, SIGKILL)
        _ = try await first.exit(within: .seconds(10))
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first)

        let arguments = ["resume", run, "--headless", "--rerun-interrupted", "--state-dir", state]
        let one = try ChildProcess.start(binary, arguments)
        try await Task.sleep(for: .milliseconds(staggerMilliseconds))
        let two = try ChildProcess.start(binary, arguments)
        let given = ContinuousClock.now + .seconds(30)
        while !one.hasEnded && !two.hasEnded && ContinuousClock.now < given { try await Task.sleep(for: .milliseconds(10)) }
        _ = FileManager.default.createFile(atPath: directory + "/release", contents: nil)
        let results = [try await one.exit(within: .seconds(30)), try await two.exit(within: .seconds(30))]

        let winners = results.filter { $0.status == 0 }
        let refused = results.filter { $0.status != 0 }
        #expect(winners.count == 1, "\(results.map(\.output))")
        #expect(refused.count == 1)
        for result in refused {
            #expect(result.status == 2, "\(result.output)")
            #expect(result.output == "baton: cannot resume: run \(run) is still going in another Baton process\n", "\(result.output)")
        }
        // One history: the run was taken up once.
        let events = try RunDirectory(path: "\(state)/runs/\(run)").readJournal().events
        #expect(events.filter { $0.kind == .runReopened }.count == 1)
        #expect(try JournalReader.fold(events).outcome == .succeeded)
    }
}
