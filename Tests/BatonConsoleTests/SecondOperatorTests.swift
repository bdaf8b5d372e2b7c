import BatonEngine
import Foundation
import Testing

/// Segregation of duties with two real users: a run started by root, with `self_approval:
/// false`, is approved by `nobody` from another terminal while the console that started it
/// watches; root's own approval is refused, and the audit trail names `nobody`. Once it has
/// finished, `nobody` rolls a step back from there too.
@Suite struct SecondOperatorTests {
    /// Whether this machine can act as `nobody`: root, setpriv, and the group nogroup.
    static let canActAsNobody = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") && getgrnam("nogroup") != nil

    /// A team's state directory in a new folder: shared by a group (here nogroup, nobody's),
    /// setgid so that runs keep it. Returns the folder (to remove) and the state directory.
    static func teamStateDirectory(_ name: String) throws -> (directory: String, state: String) {
        let directory = NSTemporaryDirectory() + "baton-\(name)-\(UUID().uuidString.prefix(8))"
        let state = directory + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        chmod(directory, 0o755)
        let group = try #require(getgrnam("nogroup"), "this test needs the group nogroup")
        try #require(chown(state, 0, group.pointee.gr_gid) == 0)
        chmod(state, 0o2775)
        return (directory, state)
    }

    @Test(.enabled(if: canActAsNobody, "acting as another user needs root, /usr/bin/setpriv and the group nogroup"))
    func anotherUserApprovesALiveRunFromAnotherTerminal() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        _ = try TmuxSession.tmux(["-V"])
        let (directory, state) = try Self.teamStateDirectory("second")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/gated.yaml"
        try """
            name: gated
            self_approval: false
            steps:
              build:
                run: echo built
              ship:
                needs: [build]
                approval:
                  approvers: [root, nobody]
              deploy:
                needs: [ship]
                run: echo deployed
            """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(ConsoleEndToEndTests.binary) run \(file) --no-bell --state-dir \(state)")
        try await tmux.waitFor("'ship' waits for approval")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: state + "/runs").first)

        // A third terminal watches the run's progress as plain lines.
        let watcher = try ChildProcess.start(ConsoleEndToEndTests.binary, ["watch", run, "--state-dir", state])

        let asStarter = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["approve", run, "ship", "-m", "mine", "--state-dir", state])
        #expect(asStarter.status == 1, "\(asStarter.output)")
        #expect(asStarter.output.contains("refused: cannot approve 'ship': root started this run, and self_approval is false"), "\(asStarter.output)")

        let asNobody = try await ChildProcess.finish(
            "/usr/bin/setpriv",
            ["--reuid=nobody", "--regid=nogroup", "--clear-groups", ConsoleEndToEndTests.binary, "approve", run, "ship", "-m", "looks good", "--state-dir", state])
        #expect(asNobody.status == 0, "\(asNobody.output)")
        #expect(asNobody.output.contains("'ship' approved by nobody"), "\(asNobody.output)")
        // The console that started the run sees it go on, without anything interrupted.
        try await tmux.waitFor(" SUCCEEDED ")
        let watched = try await watcher.exit(within: .seconds(45))
        #expect(watched.status == 0, "watch exits with the run's outcome:\n\(watched.output)")
        #expect(watched.output.contains("» approve 'ship' by nobody — accepted"), "\(watched.output)")
        #expect(watched.output.contains("baton: run \(run) succeeded"), "\(watched.output)")
        let journal = try RunDirectory(path: state + "/runs/" + run).readJournal().events
        let audit = try JournalReader.fold(journal).audit
        #expect(audit.contains { $0.action == "approve" && $0.user == "nobody" && $0.outcome == .accepted && $0.comment == "looks good" })
        #expect(audit.contains { $0.action == "approve" && $0.user == "root" && $0.outcome == .refused })
        #expect(!journal.contains { $0.kind == .runReopened || $0.kind == .runHalted }, "nothing was interrupted")
        // The finished run is still served while its console shows it: a rollback from another
        // terminal reopens it, as that user, and the console sees it end rolled back.
        let rollback = try await ChildProcess.finish(
            "/usr/bin/setpriv",
            ["--reuid=nobody", "--regid=nogroup", "--clear-groups", ConsoleEndToEndTests.binary, "rollback", run, "deploy", "--state-dir", state])
        #expect(rollback.status == 0, "\(rollback.output)")
        try await tmux.waitFor(" ROLLED BACK ")
        let reopened = try JournalReader.fold(try RunDirectory(path: state + "/runs/" + run).readJournal().events).audit
        #expect(reopened.contains { $0.action == "reopen run" && $0.user == "nobody" })
        try tmux.send("q")
        try await tmux.waitFor("the console to exit") { _ in (try? tmux.isDead()) == true }
        #expect(!FileManager.default.fileExists(atPath: state + "/runs/\(run)/host.sock"), "the socket goes with its host")

        let afterwards = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["retry", run, "ship", "--state-dir", state])
        #expect(afterwards.status == 1)
        #expect(afterwards.output.contains("the run is not live: it rolled back"), "\(afterwards.output)")
    }
}
