import Foundation
import Testing

/// `baton runs --audit RUN`, run as a real process against a run recorded by a real headless run.
@Suite(.timeLimit(.minutes(2))) struct AuditCommandTests {
    private static let workflow = """
        name: audited
        steps:
          build:
            run: "true"
          open-gate:
            needs: [build]
            approval:
              prompt: Anyone may approve this one
          locked-gate:
            needs: [build]
            approval:
              approvers: [nobody-here, group:no-such-group-for-baton]
        """

    /// Records a run in a fresh state directory; returns the state directory and the run id.
    private func recordRun() async throws -> (stateDir: String, runID: String) {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let stateDir = NSTemporaryDirectory() + "baton-audit-\(UUID().uuidString.prefix(8))"
        let file = stateDir + "/audited.yaml"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        try Self.workflow.write(toFile: file, atomically: true, encoding: .utf8)
        // Unattended, the gate this user may not approve is not waited on: the run ends waiting for an operator.
        let run = try await ChildProcess.finish(
            ConsoleEndToEndTests.binary, ["run", file, "--headless", "--unattended", "--approve-all", "--state-dir", stateDir])
        #expect(run.status == 1, "the locked gate cannot be approved by this user: \(run.output)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: stateDir + "/runs")
        return (stateDir, try #require(runs.first))
    }

    @Test func theTrailListsEveryCommandWithWhoAndTheVerdict() async throws {
        let (stateDir, runID) = try await recordRun()
        defer { try? FileManager.default.removeItem(atPath: stateDir) }
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--audit", runID, "--state-dir", stateDir])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        #expect(lines.first?.hasPrefix("audit trail of run \(runID) (audited): 4 entries") == true, "\(result.output)")
        #expect(lines.contains { $0.contains(" \(me) ") && $0.contains("start run") })
        let approved = try #require(lines.first { $0.contains("open-gate") })
        #expect(approved.contains(" \(me) ") && approved.contains(" approve ") && approved.contains(" accepted "))
        #expect(approved.contains("comment: \"approved on the command line (--approve-all)\""))
        let refused = try #require(lines.first { $0.contains("locked-gate") })
        #expect(refused.contains(" refused "))
        #expect(refused.contains("\(me) is not among its approvers (nobody-here, group:no-such-group-for-baton)"))
        #expect(lines.last == "1 refused")
    }

    /// The entries of `baton runs --audit RUN --json`.
    static func entries(_ output: String) throws -> [[String: Any]] {
        let trail = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        return try #require(trail["entries"] as? [[String: Any]], "\(output)")
    }

    @Test func jsonGivesOneObjectPerEntry() async throws {
        let (stateDir, runID) = try await recordRun()
        defer { try? FileManager.default.removeItem(atPath: stateDir) }
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--audit", runID, "--json", "--state-dir", stateDir])
        #expect(result.status == 0, "\(result.output)")
        let objects = try Self.entries(result.output)
        #expect(objects.map { $0["action"] as? String } == ["start run", "approve", "approve", "run finished"])
        #expect(objects.compactMap { $0["outcome"] as? String } == ["recorded", "accepted", "refused", "recorded"])
        #expect(objects[2]["step"] as? String == "locked-gate")
        #expect((objects[2]["detail"] as? String)?.contains("not among its approvers") == true)
    }

    @Test func aGateBatonRejectsForWantOfAnOperatorIsAuditedAsBaton() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let stateDir = NSTemporaryDirectory() + "baton-audit-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: stateDir) }
        let file = stateDir + "/gated.yaml"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        try "name: gated\nsteps:\n  ship:\n    approval:\n      approvers: [nobody-here]\n".write(toFile: file, atomically: true, encoding: .utf8)
        // Unattended: nobody is asked or waited for.
        let run = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["run", file, "--headless", "--unattended", "--state-dir", stateDir])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("gate 'ship' rejected: no operator: the run is unattended (--unattended)"), "\(run.output)")
        let runID = try #require(try FileManager.default.contentsOfDirectory(atPath: stateDir + "/runs").first)

        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--audit", runID, "--json", "--state-dir", stateDir])
        #expect(result.status == 0, "\(result.output)")
        let objects = try Self.entries(result.output)
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        #expect(objects.map { $0["action"] as? String } == ["start run", "reject", "run finished"])
        #expect(objects.map { $0["user"] as? String } == [me, "baton", "baton"])
        #expect(objects[1]["outcome"] as? String == "accepted")
        #expect(objects[1]["comment"] as? String == "no operator: the run is unattended (--unattended); pass --approve ship or --approve-all")
    }

    @Test func anUnknownRunIsInvalidInput() async throws {
        let stateDir = NSTemporaryDirectory() + "baton-audit-\(UUID().uuidString.prefix(8))"
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["runs", "--audit", "no-such-run", "--state-dir", stateDir])
        #expect(result.status == 2)
        #expect(result.output.contains("no run 'no-such-run' in \(stateDir)/runs (baton runs lists the runs)"), "\(result.output)")
    }
}
