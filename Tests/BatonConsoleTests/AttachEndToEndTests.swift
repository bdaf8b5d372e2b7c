import BatonEngine
import Foundation
import Testing

/// Two consoles on one run, as two real users: root's console runs it, `nobody` attaches from
/// another terminal as a viewer who approves the gate that names them. What one does, the
/// other shows; the engine refuses what a viewer's role lacks; detaching disturbs nothing;
/// a user left out of `access.viewers` cannot watch at all.
@Suite struct AttachEndToEndTests {
    @Test(.enabled(if: SecondOperatorTests.canActAsNobody, "acting as another user needs root, /usr/bin/setpriv and the group nogroup"))
    func aViewerAttachesApprovesTheirGateAndDetaches() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let (directory, state) = try SecondOperatorTests.teamStateDirectory("attach")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/guarded.yaml"
        try """
            name: guarded
            access:
              operators: [root]
              viewers: [nobody]
            steps:
              build:
                run: echo built
              ship:
                needs: [build]
                approval:
                  prompt: Ship it?
                  approvers: [nobody]
              deploy:
                needs: [ship]
                run: echo deployed
            """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let host = TmuxSession()
        defer { host.kill() }
        try host.start("\(ConsoleEndToEndTests.binary) run \(file) --no-bell --state-dir \(state)")
        try await host.waitFor("'ship' waits for approval")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first)
        let asNobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", ConsoleEndToEndTests.binary]

        let attached = TmuxSession()
        defer { attached.kill() }
        try attached.start((asNobody + ["attach", run, "--no-bell", "--state-dir", state]).joined(separator: " "))
        try await attached.waitFor("ATTACHED as nobody, a viewer")
        try await attached.waitFor("'ship' waits for approval")
        // The console greys out what a viewer may not do, and says why when it is tried.
        try attached.send("p")
        try await attached.waitFor("nobody is a viewer of this run")
        // The engine refuses it too, from a script, and audits the refusal.
        let paused = try await ChildProcess.finish("/usr/bin/setpriv", Array(asNobody.dropFirst()) + ["pause", run, "--state-dir", state])
        #expect(paused.status == 1, "\(paused.output)")
        #expect(paused.output.contains("nobody may not pause the run: only the run's operators may (root)"), "\(paused.output)")

        // The viewer approves the gate that names them; root's console sees the run go on.
        try attached.send("!")
        try attached.send("a")
        try await attached.waitFor("Approve 'ship'")
        try attached.send("Enter")
        try await host.waitFor(" SUCCEEDED ")
        try await attached.waitFor(" SUCCEEDED ")

        // Detaching leaves the run and its console as they were.
        try attached.send("q")
        try await attached.waitFor("the attached console to exit") { _ in (try? attached.isDead()) == true }
        #expect(try host.capture().contains(" SUCCEEDED "))
        #expect(FileManager.default.fileExists(atPath: state + "/runs/\(run)/host.sock"), "the run is still served")

        // A user outside access.viewers cannot watch at all, and is told why.
        let stranger = try await ChildProcess.finish(
            "/usr/bin/setpriv", ["--reuid=daemon", "--regid=nogroup", "--clear-groups", ConsoleEndToEndTests.binary, "watch", run, "--state-dir", state])
        #expect(stranger.status == 1, "\(stranger.output)")
        #expect(stranger.output.contains("daemon may not watch run \(run)"), "\(stranger.output)")

        let audit = try JournalReader.fold(try RunDirectory(path: state + "/runs/" + run).readJournal().events).audit
        #expect(audit.contains { $0.action == "pause" && $0.user == "nobody" && $0.outcome == .refused })
        #expect(audit.contains { $0.action == "approve" && $0.user == "nobody" && $0.outcome == .accepted })
        try host.send("q")
        try await host.waitFor("the console to exit") { _ in (try? host.isDead()) == true }
    }
}
