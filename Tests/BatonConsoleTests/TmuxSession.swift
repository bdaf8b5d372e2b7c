import Foundation

/// Drives a real terminal for end-to-end tests: tmux runs the program, the test types with
/// `send-keys` and reads the screen with `capture-pane`.
final class TmuxSession {
    let name: String
    private(set) var started = false

    init() {
        name = "baton-e2e-\(UUID().uuidString.prefix(8))"
    }

    deinit { kill() }

    /// Starts `command` in a detached session of the given size, with a UTF-8 locale.
    func start(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        var arguments = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8"]
        for (key, value) in environment { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append(command)
        try Self.tmux(arguments)
        try Self.tmux(["set-option", "-t", name, "remain-on-exit", "on"])
        started = true
    }

    /// Types keys: tmux key names ("Enter", "Tab", "Escape") or literal text.
    func send(_ keys: String...) throws {
        try Self.tmux(["send-keys", "-t", name] + keys)
    }

    /// Types text literally, character by character.
    func type(_ text: String) throws {
        try Self.tmux(["send-keys", "-t", name, "-l", text])
    }

    func resize(width: Int, height: Int) throws {
        try Self.tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The screen as text.
    func capture() throws -> String {
        try Self.tmux(["capture-pane", "-p", "-t", name])
    }

    /// Whether the program in the pane has exited.
    func isDead() throws -> Bool {
        try Self.tmux(["display-message", "-p", "-t", name, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Waits until the screen satisfies `condition`; throws with the last screen after `limit`.
    @discardableResult
    func waitFor(_ what: String, limit: Duration = .seconds(20), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + limit
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = try capture()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TmuxTimeout(waitingFor: what, screen: screen)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, limit: Duration = .seconds(20)) async throws -> String {
        try await waitFor("'\(text)'", limit: limit) { $0.contains(text) }
    }

    func kill() {
        guard started else { return }
        started = false
        _ = try? Self.tmux(["kill-session", "-t", name])
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
