import BatonBuiltIns
import BatonEngine
import Foundation
import Testing

/// The built `baton` binary copied alone into an empty folder outside the checkout, as the
/// README's Install section has a user do, works from there: its demos and themes are inside
/// it. Nothing is built here; the tests use the debug binary the suite was built with.
@Suite(.serialized, .timeLimit(.minutes(3))) struct InstalledBinaryTests {
    /// An empty temporary folder holding only a copy of the binary, and an empty home folder.
    struct Install {
        let root: String
        /// The folder the binary was copied to, and the working folder of every run.
        var folder: String { root + "/bin" }
        /// The home folder: no config file, no user themes unless a test writes them.
        var home: String { root + "/home" }
        var state: String { root + "/state" }

        init() throws {
            root = NSTemporaryDirectory() + "baton-installed-\(UUID().uuidString.prefix(8))"
            for folder in [root + "/bin", root + "/home", root + "/state"] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            try #require(!root.hasPrefix(ConsoleEndToEndTests.root + "/"), "the copy must be outside the checkout")
            let binary = ConsoleEndToEndTests.binary
            try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build (looked for \(binary))")
            // Copied by cp, as a person would: were the file written in this process, a child
            // another test spawns meanwhile could inherit the open file, and running the copy
            // would fail with "text file busy".
            let copied = try ChildProcess.run("/bin/cp", [binary, folder + "/baton"])
            try #require(copied.status == 0, "\(copied.output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["baton"])
        }

        /// The environment of every run: only a home folder (so no BATON_DEMO_DIR,
        /// BATON_THEME_DIR or BATON_CONFIG), a path and a UTF-8 locale.
        var environment: [String] {
            ["HOME=\(home)", "XDG_CONFIG_HOME=\(home)/.config", "XDG_STATE_HOME=\(state)", "PATH=/usr/bin:/bin", "LANG=C.UTF-8"]
        }

        /// Runs `./baton ARGUMENTS` in the folder, with only `environment`.
        func baton(_ arguments: String...) async throws -> ChildProcess.Result {
            try await ChildProcess.finish("/usr/bin/env", ["-i", "-C", folder] + environment + ["./baton"] + arguments, within: .seconds(60))
        }

        /// The shell command that runs `./baton ARGUMENTS` the same way in a terminal, then
        /// writes its exit status to `statusFile(named:)`.
        func shellCommand(_ arguments: String, status name: String) -> String {
            "cd \(folder) && env -i \(environment.joined(separator: " ")) TERM=tmux-256color ./baton \(arguments); echo $? > \(statusFile(named: name))"
        }

        func statusFile(named name: String) -> String { root + "/\(name).status" }

        /// The exit status `shellCommand` wrote under `name`, once it has: read from a file, as
        /// tmux may be slow to notice that a pane's program ended.
        func exitStatus(_ name: String, limit: Duration = .seconds(45)) async throws -> String {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let text = try? String(contentsOfFile: statusFile(named: name), encoding: .utf8), text.hasSuffix("\n") {
                    return text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("baton \(name) did not end within \(limit)")
            return ""
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func versionSaysTheReleaseAndTheJournalFormat() async throws {
        let install = try Install()
        defer { install.remove() }
        let result = try await install.baton("--version")
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.output)")
        #expect(lines.first?.hasPrefix("baton ") == true, "\(result.output)")
        #expect(lines.last == "journal format \(RunEvent.formatVersion)")
    }

    @Test func theDemosAreListedAndOneRunsHeadlessAndIsRecorded() async throws {
        let install = try Install()
        defer { install.remove() }
        let listing = try await install.baton("demo", "--list")
        #expect(listing.status == 0, "\(listing.output)")
        #expect(listing.output.hasPrefix("Demos built into baton"), "\(listing.output)")
        for demo in BuiltInFiles.demos {
            #expect(listing.output.contains("\n  \(demo.name) "), "\(demo.name) is not listed: \(listing.output)")
        }

        let run = try await install.baton("demo", "fleet-rollout", "--headless", "--speed", "0")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("succeeded"), "\(run.output)")
        // The run keeps the text it ran, so replay and resume need no demo folder.
        let runs = try FileManager.default.contentsOfDirectory(atPath: install.state + "/baton/runs")
        let id = try #require(runs.first)
        #expect(runs.count == 1)
        let recorded = try #require(FileManager.default.contents(atPath: install.state + "/baton/runs/\(id)/workflow.yaml"))
        let builtIn = try #require(BuiltInFiles.demos.first { $0.name == "fleet-rollout" })
        #expect([UInt8](recorded) == builtIn.bytes)

        let listed = try await install.baton("runs")
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains(id), "\(listed.output)")
    }

    @Test func anUnknownDemoAndABadDemoFolderAreClearErrors() async throws {
        let install = try Install()
        defer { install.remove() }
        let unknown = try await install.baton("demo", "fleet-rolout", "--headless")
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("there is no demo 'fleet-rolout'; did you mean 'fleet-rollout'?"), "\(unknown.output)")
    }

    @Test func theDemoFolderVariableReplacesTheBuiltInDemos() async throws {
        let install = try Install()
        defer { install.remove() }
        let folder = install.root + "/demos"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: mine\ndescription: My own demo.\nsteps:\n  one:\n    run: echo hi\n    simulate: {duration: 0s}\n"
            .write(toFile: folder + "/mine.yaml", atomically: true, encoding: .utf8)
        let listing = try await ChildProcess.finish(
            "/usr/bin/env", ["-i", "-C", install.folder] + install.environment + ["BATON_DEMO_DIR=\(folder)", "./baton", "demo", "--list"], within: .seconds(60))
        #expect(listing.status == 0, "\(listing.output)")
        #expect(listing.output == "Demos from BATON_DEMO_DIR, \(folder) (baton demo NAME runs one; the first is the default):\n  mine  My own demo.\n")

        let empty = install.root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let refused = try await ChildProcess.finish(
            "/usr/bin/env", ["-i", "-C", install.folder] + install.environment + ["BATON_DEMO_DIR=\(empty)", "./baton", "demo", "--list"], within: .seconds(60))
        #expect(refused.status == 2)
        #expect(refused.output == "baton: BATON_DEMO_DIR names \(empty), which holds no demos (.yaml files); unset it to use the built-in demos\n")
    }

    @Test func aConfigFileNamesABuiltInOrAUserTheme() async throws {
        let install = try Install()
        defer { install.remove() }
        let config = install.home + "/.config/baton"
        try FileManager.default.createDirectory(atPath: config + "/themes", withIntermediateDirectories: true)
        try "theme: light\n".write(toFile: config + "/config.yaml", atomically: true, encoding: .utf8)
        let light = try await install.baton("config", "--check")
        #expect(light.status == 0, "\(light.output)")
        #expect(light.output == "\(config)/config.yaml: ok\n")

        try "theme: ocean\n".write(toFile: config + "/config.yaml", atomically: true, encoding: .utf8)
        let missing = try await install.baton("config", "--check")
        #expect(missing.status == 2)
        #expect(missing.output.contains(
            "theme 'ocean' cannot be used: unknown theme 'ocean'; available themes: dark, high-contrast, light, mono (looked in \(config)/themes, then the built-in themes)"),
            "\(missing.output)")

        try "name: ocean\nroles:\n  muted: {fg: 31}\n".write(toFile: config + "/themes/ocean.yaml", atomically: true, encoding: .utf8)
        let user = try await install.baton("config", "--check")
        #expect(user.status == 0, "\(user.output)")
    }

    @Test func theConsoleOpensWithTheLightThemeAndReplaysTheRun() async throws {
        let install = try Install()
        defer { install.remove() }
        _ = try TmuxSession.tmux(["-V"])
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(install.shellCommand("demo fleet-rollout --theme light --speed 0 --no-bell", status: "demo"))
        try await tmux.waitFor("fleet-rollout")
        // The light theme's header: dark text on a light grey (253), which the dark theme has not.
        try await tmux.waitFor("the light header") { _ in
            (try? tmux.command("capture-pane", "-p", "-e", "-t", tmux.name))?.contains("48;5;253") == true
        }
        try await tmux.waitFor("the run's end") { $0.contains("SUCCEEDED") }
        try tmux.send("q")
        #expect(try await install.exitStatus("demo") == "0")

        // The recorded run replays from the same folder, with another built-in theme.
        let runs = try FileManager.default.contentsOfDirectory(atPath: install.state + "/baton/runs")
        let id = try #require(runs.first)
        let replay = TmuxSession()
        defer { replay.kill() }
        try replay.start(install.shellCommand("replay \(id) --speed 0 --theme high-contrast", status: "replay"))
        try await replay.waitFor("REPLAY END")
        try replay.send("q")
        #expect(try await install.exitStatus("replay") == "0")

        let unknown = TmuxSession()
        defer { unknown.kill() }
        try unknown.start(install.shellCommand("demo --theme ligth", status: "unknown"))
        #expect(try await install.exitStatus("unknown") == "2")
        // The message's first line may have scrolled out of the screen.
        try await unknown.waitFor("the unknown theme's message") { _ in
            (try? unknown.captureHistory())?.contains("unknown theme 'ligth'; did you mean 'light'?") == true
        }
    }
}
