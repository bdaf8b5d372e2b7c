import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Runs one tmux client command and returns what it printed.
    ///
    /// This spawns and reaps the client itself rather than using Foundation's `Process`,
    /// whose `waitUntilExit` off the main thread can miss a child's exit and leave the test
    /// waiting on a zombie forever. Output goes to a scratch file, so a tmux server that
    /// forks off the client can never hold a pipe open. A client that takes longer than
    /// `limit` is killed and reported.
    @discardableResult
    static func tmux(_ arguments: [String], limit: Duration = .seconds(15)) throws -> String {
        let outputPath = NSTemporaryDirectory() + "baton-tmux-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw TmuxFailure(arguments: arguments, output: "could not start tmux: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        let deadline = ContinuousClock.now + limit
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                throw TmuxFailure(arguments: arguments, output: "lost track of tmux: \(String(cString: strerror(errno)))")
            }
            if ContinuousClock.now >= deadline {
                Glibc.kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                throw TmuxFailure(arguments: arguments, output: "tmux did not finish within \(limit)")
            }
            usleep(2_000)
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with status 0: the low seven bits hold no signal, the next byte is 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw TmuxFailure(arguments: arguments, output: text)
        }
        return text
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
