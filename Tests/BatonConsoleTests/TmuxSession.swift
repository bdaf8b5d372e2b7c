import Foundation

/// Drives a real terminal for end-to-end tests: tmux runs the program, the test types with
/// `send-keys` and reads the screen with `capture-pane`.
///
/// Each session has a tmux server of its own (`-L name`), killed with it, so tests never
/// touch an operator's tmux server and leave no server behind.
final class TmuxSession {
    let name: String
    private(set) var started = false

    init() {
        name = "baton-e2e-\(UUID().uuidString.prefix(8))"
    }

    deinit { kill() }

    /// Starts `command` in a detached session of the given size, with a UTF-8 locale.
    func start(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        // The console's own defaults, whatever config file the machine's user keeps.
        var arguments = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8",
                         "-e", "BATON_CONFIG=\(environment["BATON_CONFIG"] ?? "/dev/null")"]
        for (key, value) in environment where key != "BATON_CONFIG" { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append(command)
        // In the same tmux command list, so a command that ends at once still leaves its pane.
        try client(arguments + [";", "set-option", "-t", name, "remain-on-exit", "on"])
        started = true
    }

    /// Types keys: tmux key names ("Enter", "Tab", "Escape") or literal text.
    func send(_ keys: String...) throws {
        try client(["send-keys", "-t", name] + keys)
    }

    /// Types text literally, character by character.
    func type(_ text: String) throws {
        try client(["send-keys", "-t", name, "-l", text])
    }

    /// Pastes `text` as a terminal does: in the brackets of bracketed paste when the program
    /// asked for them (`paste-buffer -p`), as typed text otherwise.
    func paste(_ text: String) throws {
        let buffer = "\(name)-paste"
        try client(["set-buffer", "-b", buffer, text])
        try client(["paste-buffer", "-p", "-d", "-b", buffer, "-t", name])
    }

    /// Sends bytes to the program as the terminal would, unchanged (`send-keys -H`).
    func sendBytes(_ bytes: [UInt8]) throws {
        try client(["send-keys", "-t", name, "-H"] + bytes.map { String($0, radix: 16) })
    }

    /// What tmux sends a pane that asked for mouse reports in the normal encoding (mode 1000,
    /// as curses asks under TERM=tmux-256color): ESC [ M, then the button code, the column and
    /// the row, each plus 32, the cell counted from 1. `code` 0 is a left press, 3 a release,
    /// 64 and 65 the wheel up and down; `x` and `y` count from 0.
    static func normalMouseReport(_ code: Int, x: Int, y: Int) -> [UInt8] {
        [0x1B, 0x5B, 0x4D, UInt8(32 + code), UInt8(33 + x), UInt8(33 + y)]
    }

    /// What a terminal sends in the SGR encoding (mode 1006, as curses asks under
    /// TERM=xterm-256color): ESC [ < code ; column ; row, then M for a press or m for a release.
    static func sgrMouseReport(_ code: Int, x: Int, y: Int, release: Bool = false) -> String {
        "\u{1B}[<\(code);\(x + 1);\(y + 1)\(release ? "m" : "M")"
    }

    /// A left click (press and release) at a cell, in the normal encoding.
    func click(x: Int, y: Int) throws {
        try sendBytes(Self.normalMouseReport(0, x: x, y: y) + Self.normalMouseReport(3, x: x, y: y))
    }

    /// Turns the wheel at a cell, in the normal encoding: down for positive notches.
    func wheel(_ notches: Int, x: Int, y: Int) throws {
        for _ in 0..<abs(notches) { try sendBytes(Self.normalMouseReport(notches > 0 ? 65 : 64, x: x, y: y)) }
    }

    /// The screen cell of the first place `text` shows on the screen, counting characters as
    /// cells (true of box drawing and the state glyphs); rows from `fromRow` on.
    static func cell(of text: String, in screen: String, fromRow: Int = 0) -> (x: Int, y: Int)? {
        for (y, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where y >= fromRow {
            if let range = line.range(of: text) { return (line.distance(from: line.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }

    func resize(width: Int, height: Int) throws {
        try client(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The screen as text.
    func capture() throws -> String {
        try client(["capture-pane", "-p", "-t", name])
    }

    /// The screen as text, with tmux waited for as a task waits (`ChildProcess.finish`): a loop
    /// that polls the screen must not hold one of the few threads every test's tasks share.
    private func captureAsTask() async throws -> String {
        let arguments = ["-L", name, "-f", "/dev/null", "capture-pane", "-p", "-t", name]
        let result: ChildProcess.Result
        do {
            result = try await ChildProcess.finish("tmux", arguments)
        } catch {
            throw TmuxFailure(arguments: arguments, output: error.description)
        }
        return try Self.output(of: result, arguments)
    }

    /// What tmux says a format (`#{pane_title}`, `#{alternate_on}`) is for the pane.
    func format(_ format: String) throws -> String {
        try client(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs any other tmux command against this session's server (`set-option`, `list-buffers`).
    @discardableResult
    func command(_ arguments: String...) throws -> String {
        try client(arguments)
    }

    /// The pane's whole scrollback and screen as text.
    func captureHistory() throws -> String {
        try client(["capture-pane", "-p", "-S", "-", "-t", name])
    }

    /// Whether the program in the pane has exited.
    func isDead() throws -> Bool {
        try client(["display-message", "-p", "-t", name, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Waits until the screen satisfies `condition`; throws with the last screen after `limit`.
    @discardableResult
    func waitFor(_ what: String, limit: Duration = .seconds(45), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + limit
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = try await captureAsTask()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TmuxTimeout(waitingFor: what, screen: screen)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, limit: Duration = .seconds(45)) async throws -> String {
        try await waitFor("'\(text)'", limit: limit) { $0.contains(text) }
    }

    func kill() {
        guard started else { return }
        started = false
        let socket = (try? client(["display-message", "-p", "#{socket_path}"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try? client(["kill-server"])
        if let socket, !socket.isEmpty { unlink(socket) }
    }

    /// Runs a tmux command against this session's own server.
    @discardableResult
    private func client(_ arguments: [String]) throws -> String {
        try Self.tmux(["-L", name, "-f", "/dev/null"] + arguments)
    }

    /// Runs one tmux client command and returns what it printed (see `ChildProcess`).
    @discardableResult
    static func tmux(_ arguments: [String], limit: Duration = .seconds(15)) throws -> String {
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run("tmux", arguments, limit: limit)
        } catch {
            throw TmuxFailure(arguments: arguments, output: error.description)
        }
        return try output(of: result, arguments)
    }

    /// What a tmux client printed, or a `TmuxFailure` if it failed.
    private static func output(of result: ChildProcess.Result, _ arguments: [String]) throws -> String {
        guard result.status == 0 else { throw TmuxFailure(arguments: arguments, output: result.output) }
        return result.output
    }
}

/// tmux itself failed.
struct TmuxFailure: Error, CustomStringConvertible {
    var arguments: [String]
    var output: String
    var description: String { "tmux \(arguments.joined(separator: " ")) failed: \(output)" }
}

/// The screen never showed what the test waited for.
struct TmuxTimeout: Error, CustomStringConvertible {
    var waitingFor: String
    var screen: String
    var description: String { "timed out waiting for \(waitingFor); the screen was:\n\(screen)" }
}
