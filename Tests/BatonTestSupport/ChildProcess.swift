import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to its end for a test and returns its exit status and output.
///
/// It spawns and reaps the child itself rather than using Foundation's `Process`, whose
/// `waitUntilExit` off the main thread can miss a child's exit and leave a test waiting on a
/// zombie forever. Output goes to a scratch file, so a daemon the child forks (a tmux
/// server) can never hold a pipe open. A child still running after `limit` is killed.
public enum ChildProcess {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number if a signal ended it.
        public var status: Int32
        /// stdout and stderr together.
        public var output: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Runs `program` (looked up in `PATH` unless it holds a slash) with `arguments`.
    public static func run(_ program: String, _ arguments: [String], limit: Duration = .seconds(30)) throws(Failure) -> Result {
        let started = try start(program, arguments)
        return try started.wait(limit: limit)
    }

    /// Runs `program` like `run`, but waits as a task does (see `Started.exit(within:)`), so
    /// that a test waiting for a child does not starve every other test of threads.
    public static func finish(_ program: String, _ arguments: [String], within limit: Duration = .seconds(30)) async throws(Failure) -> Result {
        try await start(program, arguments).exit(within: limit)
    }

    /// A child started by `start`, to be waited for (or killed) by the test.
    public struct Started: Sendable {
        public var pid: pid_t
        public var program: String
        public var outputPath: String

        /// Whether the child has ended, without reaping it (`wait` still must).
        public var hasEnded: Bool {
            var info = siginfo_t()
            let checked = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            return (checked == 0 && info.si_signo != 0) || (checked < 0 && errno != EINTR)
        }

        /// What the child has printed so far (standard output and error together).
        public var printed: String {
            (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }

        /// Waits, as a task does, until what the child has printed satisfies `condition`, and
        /// returns it; after `limit`, throws with `what` it waited for and what it printed.
        @discardableResult
        public func waitForOutput(_ what: String, within limit: Duration = .seconds(45), until condition: (String) -> Bool) async throws(Failure) -> String {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                let text = printed
                if condition(text) { return text }
                try? await Task.sleep(for: .milliseconds(10))
            }
            throw Failure(description: "\(program) never printed \(what) within \(limit); it printed:\n\(printed)")
        }

        /// Waits until the child has printed `text`; see `waitForOutput(_:within:until:)`.
        @discardableResult
        public func waitForOutput(containing text: String, within limit: Duration = .seconds(45)) async throws(Failure) -> String {
            try await waitForOutput("'\(text)'", within: limit) { $0.contains(text) }
        }

        /// Waits for the child to end like `wait(limit:)`, but sleeps between its checks as a
        /// task does, so that a long wait does not hold one of the few threads that every
        /// other test's tasks run on.
        public func exit(within limit: Duration = .seconds(30)) async throws(Failure) -> Result {
            let deadline = ContinuousClock.now + limit
            // Look without reaping; `wait` reaps it, or kills it once the time is up.
            while ContinuousClock.now < deadline && !hasEnded {
                try? await Task.sleep(for: .milliseconds(10))
            }
            return try wait(limit: max(.zero, deadline - ContinuousClock.now))
        }

        /// Waits for the child to end; kills it after `limit`.
        public func wait(limit: Duration = .seconds(30)) throws(Failure) -> Result {
            defer { unlink(outputPath) }
            var status: Int32 = 0
            let deadline = ContinuousClock.now + limit
            while true {
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid { break }
                if reaped < 0 && errno != EINTR {
                    throw Failure(description: "lost track of \(program): \(String(cString: strerror(errno)))")
                }
                if ContinuousClock.now >= deadline {
                    Glibc.kill(pid, SIGKILL)
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                    throw Failure(description: "\(program) did not finish within \(limit)")
                }
                usleep(2_000)
            }
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let signal = status & 0x7f
            return Result(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, output: output)
        }
    }

    /// Starts `program` without waiting for it.
    ///
    /// Its stdin is the null device, or `standardInput` (a descriptor of the caller's, which
    /// the caller still owns). `ownProcessGroup` puts it in a group of its own, so a signal to
    /// the caller's group (a terminal's Ctrl-C, `timeout` killing a test run) does not reach it.
    /// Its output goes to a new file in `outputDirectory` (the temporary folder by default):
    /// a fixture that removes its folder removes the file too, even if the test process died
    /// before it could reap the child.
    public static func start(
        _ program: String, _ arguments: [String], standardInput: Int32? = nil, ownProcessGroup: Bool = false,
        outputDirectory: String = NSTemporaryDirectory()
    ) throws(Failure) -> Started {
        let outputPath = URL(fileURLWithPath: outputDirectory).appendingPathComponent("baton-child-\(UUID().uuidString).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The spawning thread may block signals (Dispatch's threads do), and a child keeps
        // that mask: a tmux server started with SIGCHLD blocked never reaps its panes.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGCHLD, SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "could not start \(program): \(String(cString: strerror(spawned)))")
        }
        return Started(pid: pid, program: program, outputPath: outputPath)
    }
}
