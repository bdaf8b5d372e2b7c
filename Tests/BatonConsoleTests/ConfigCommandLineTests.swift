import BatonTestSupport
import Foundation
import Testing

/// `baton config --path`, `--check` and `--keys` through the real binary, with HOME and
/// XDG_CONFIG_HOME pointed at a folder of the test's own.
@Suite(.timeLimit(.minutes(2))) struct ConfigCommandLineTests {
    /// A fresh folder standing for the user's XDG_CONFIG_HOME.
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "baton-config-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path + "/baton", withIntermediateDirectories: true)
        return path
    }

    /// Runs baton with the config folder as XDG_CONFIG_HOME and HOME, BATON_CONFIG unset.
    private func baton(_ arguments: String..., configHome: String) async throws -> ChildProcess.Result {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        return try await ChildProcess.finish("/usr/bin/env", [
            "-u", "BATON_CONFIG", "XDG_CONFIG_HOME=\(configHome)", "HOME=\(configHome)", ConsoleEndToEndTests.binary,
        ] + arguments)
    }

    @Test func pathSaysWhereAndWhetherTheFileExists() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let missing = try await baton("config", "--path", configHome: home)
        #expect(missing.status == 0)
        #expect(missing.output.contains("\(home)/baton/config.yaml: does not exist; the built-in defaults apply"), "\(missing.output)")
        try "bell: false\n".write(toFile: home + "/baton/config.yaml", atomically: true, encoding: .utf8)
        let found = try await baton("config", "--path", configHome: home)
        #expect(found.output.contains("\(home)/baton/config.yaml: exists"), "\(found.output)")
    }

    @Test func checkPrintsEveryProblemAndExitsTwo() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = home + "/baton/config.yaml"
        let none = try await baton("config", "--check", configHome: home)
        #expect(none.status == 0 && none.output.contains("no config file; the built-in defaults apply"), "\(none.output)")
        try "bell: false\nkeys:\n  retry: R\n".write(toFile: file, atomically: true, encoding: .utf8)
        let good = try await baton("config", "--check", configHome: home)
        #expect(good.status == 0 && good.output.contains("\(file): ok"), "\(good.output)")
        try "bell: false\nkeys:\n  retry: x\n  rejct: y\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try await baton("config", "--check", configHome: home)
        #expect(bad.status == 2)
        #expect(bad.output.contains("\(file):3:10: key 'x' is bound to both reject (its default key) and retry (here)"), "\(bad.output)")
        #expect(bad.output.contains("\(file):4:3: unknown action 'rejct'; did you mean 'reject'?"), "\(bad.output)")
        #expect(bad.output.contains("\(file): 2 problems"))
        try "theme: lihgt\n".write(toFile: file, atomically: true, encoding: .utf8)
        let theme = try await baton("config", "--check", configHome: home)
        #expect(theme.status == 2 && theme.output.contains("\(file):1:8: theme 'lihgt' cannot be used: unknown theme 'lihgt'; did you mean 'light'?"), "\(theme.output)")
    }

    @Test func keysPrintsTheDefaultsWithTheRemapsApplied() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let defaults = try await baton("config", "--keys", configHome: home)
        #expect(defaults.status == 0)
        #expect(defaults.output.contains(#/\n  retry +r +Retry the selected step/#), "\(defaults.output)")
        try "keys:\n  retry: [R, ctrl-r]\n  pauseRun: f5\n".write(toFile: home + "/baton/config.yaml", atomically: true, encoding: .utf8)
        let remapped = try await baton("config", "--keys", configHome: home)
        #expect(remapped.status == 0)
        #expect(remapped.output.contains(#/\n  retry \* +R, ctrl-r +Retry the selected step/#), "\(remapped.output)")
        #expect(remapped.output.contains(#/\n  pause-run \* +f5 +Pause the run/#))
        #expect(remapped.output.contains(#/\n  skip +s +Skip/#))
    }

    @Test func keysPrintsTopsKeysUnderASecondHeadingAndCheckReadsTopKeys() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let defaults = try await baton("config", "--keys", configHome: home)
        #expect(defaults.output.contains(#/\nbaton top's keys \(top_keys:\)\n\nSelect\n  up +up, k +Select the run above/#), "\(defaults.output)")
        #expect(defaults.output.contains(#/\n  open +enter +A live run: its console, baton attach RUN \(leave it to come back\)\. A run nobody serves/#))
        try "top_keys:\n  open: o\n  quit: [Q, ctrl-c]\n".write(toFile: home + "/baton/config.yaml", atomically: true, encoding: .utf8)
        let remapped = try await baton("config", "--keys", configHome: home)
        #expect(remapped.status == 0)
        #expect(remapped.output.contains(#/\n  open \* +o +A live run/#), "\(remapped.output)")
        #expect(remapped.output.contains(#/\n  quit \* +Q, ctrl-c +Quit baton top/#))
        #expect(remapped.output.contains(#/\n  hold-release +o +Hold the selected/#), "the console keeps its own o")
        try "top_keys:\n  open: q\n".write(toFile: home + "/baton/config.yaml", atomically: true, encoding: .utf8)
        let clash = try await baton("config", "--check", configHome: home)
        #expect(clash.status == 2)
        #expect(clash.output.contains("\(home)/baton/config.yaml:2:9: key 'q' is bound to both open (here) and quit (its default key)"), "\(clash.output)")
    }

    @Test func aBadFileStopsAConsoleCommandWithExitTwo() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "keys:\n  retry: [R\n".write(toFile: home + "/baton/config.yaml", atomically: true, encoding: .utf8)
        // attach reads the config before it looks for the run or a terminal.
        let result = try await baton("attach", "no-such-run", "--state-dir", home + "/state", configHome: home)
        #expect(result.status == 2)
        #expect(result.output.contains("\(home)/baton/config.yaml:3:1: YAML syntax error"), "\(result.output)")
    }
}
