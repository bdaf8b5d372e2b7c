import BatonConsole
import Foundation
import Testing

/// The real `baton` binary in tmux: a search finds a line that only the step's log file still
/// holds, and shows it.
@Suite(.serialized, .timeLimit(.minutes(3))) struct LogSearchEndToEndTests {
    @Test func aSearchFindsALineThatOnlyTheLogFileHolds() async throws {
        let binary = ConsoleEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build baton first: swift build (looked for \(binary))")
        _ = try TmuxSession.tmux(["-V"])
        let directory = NSTemporaryDirectory() + "baton-e2e-search-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 20,001 lines: the first is far outside the 5,000 the console keeps.
        let file = directory + "/flood.yaml"
        try Data("name: flood\nsteps:\n  flood:\n    run: \"echo needle-early; seq 1 20000\"\n".utf8).write(to: URL(fileURLWithPath: file))
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("\(binary) run \(file) --state-dir \(directory)/state", width: 140, height: 40)
        try await tmux.waitFor("the step's last line") { $0.contains("│ 20000") && $0.contains("1 succeeded") }

        // Where the needle is, by the file itself (Baton's own lines come before it).
        let runs = try FileManager.default.contentsOfDirectory(atPath: directory + "/state/runs")
        let log = try String(contentsOfFile: "\(directory)/state/runs/\(runs[0])/logs/flood.log", encoding: .utf8)
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let needle = try #require(lines.firstIndex(of: "needle-early")) + 1

        try tmux.send("/")
        try tmux.type("needle")
        try tmux.send("Enter")
        let found = try await tmux.waitFor("the file search's answer", limit: .seconds(60)) {
            $0.contains("'needle' found at line \(needle) of logs/flood.log (before the window; the file holds it)")
        }
        #expect(found.contains("file lines 1–\(needle + LogExcerpt.radius) of \(Format.count(lines.count)) in logs/flood.log"))
        #expect(found.contains("│ needle-early"))

        // G goes back to the newest lines.
        try tmux.send("G")
        try await tmux.waitFor("the newest lines again") { $0.contains("│ 20000") && !$0.contains("│ needle-early") }
        try tmux.send("q")
        try await tmux.waitFor("the program to exit") { _ in (try? tmux.isDead()) == true }
    }
}
