import BatonConsole
import Foundation
import Testing

/// The real binary in tmux hands the terminal to the pager and takes it back: `v` shows the
/// selected step's whole log (lines the console no longer keeps included), and after the
/// pager the console draws again.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PagerEndToEndTests {
    private func floodFolder() throws -> String {
        let directory = NSTemporaryDirectory() + "baton-e2e-pager-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // 8,000 lines: the first 3,000 are outside the 5,000 the console keeps.
        try Data("name: flood\nsteps:\n  flood:\n    run: \"printf 'red \\\\033[31mline\\\\033[0m\\\\n'; seq 1 8000\"\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/flood.yaml"))
        return directory
    }

    @Test func vShowsTheWholeLogInThePagerAndComesBack() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build (looked for \(binary))")
        _ = try TmuxSession.tmux(["-V"])
        let directory = try floodFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A pager that keeps what it was given. It runs through `sh` rather than being executed
        // itself: a test on another thread may fork while this file is still open for writing,
        // and the child's copy of that descriptor makes exec fail with ETXTBSY (exit 126).
        let pager = directory + "/pager.sh"
        try Data("cp \"$1\" '\(directory)/paged.txt'\n".utf8).write(to: URL(fileURLWithPath: pager))
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(binary) run \(directory)/flood.yaml --state-dir \(directory)/state", width: 120, height: 36, environment: ["PAGER": "/bin/sh \(pager)"])
        try await tmux.waitFor("the step's last line") { $0.contains("│ 8000") && $0.contains("1 succeeded") }
        try tmux.send("v")
        try await tmux.waitFor("the console back from the pager") { $0.contains("back from the pager") }
        let paged = try String(contentsOfFile: directory + "/paged.txt", encoding: .utf8).split(separator: "\n")
        #expect(paged.contains("  1") && paged.contains("  8000"), "every line, the first ones included")
        #expect(paged.contains("  red \u{1B}[31mline\u{1B}[0m"), "colour kept for less -R")
        #expect(paged.first?.hasPrefix("» attempt 1 of 1 started") == true, "\(paged.prefix(2))")
        try tmux.send("q")
        try await tmux.waitFor("the program to exit") { _ in (try? tmux.isDead()) == true }
    }

    @Test func lessTakesTheTerminalAndQGivesItBack() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build (looked for \(binary))")
        _ = try TmuxSession.tmux(["-V"])
        let directory = try floodFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(binary) run \(directory)/flood.yaml --state-dir \(directory)/state", width: 120, height: 36, environment: ["PAGER": "less -R"])
        try await tmux.waitFor("the step's last line") { $0.contains("│ 8000") && $0.contains("1 succeeded") }
        try tmux.send("v")
        let inLess = try await tmux.waitFor("less on the log") { $0.contains("» attempt 1 of 1 started") && !$0.contains("┌─ Graph") }
        #expect(inLess.contains("red line"), "less draws the colour, not its escape: \(inLess)")
        try tmux.send("q")
        let back = try await tmux.waitFor("the console again") { $0.contains("┌─ Graph") && $0.contains("back from the pager") }
        #expect(back.contains("│ 8000"))
        try tmux.send("q")
        try await tmux.waitFor("the program to exit") { _ in (try? tmux.isDead()) == true }
    }
}
