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
enum ChildProcess {
    struct Result {
        /// The exit status, or 128 + the signal number if a signal ended it.
        var status: Int32
        /// stdout and stderr together.
        var output: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `program` (looked up in `PATH` unless it holds a slash) with `arguments`.
    static func run(_ program: String, _ arguments: [String], limit: Duration = .seconds(15)) throws(Failure) -> Result {
        let started = try start(program, arguments)
        return try started.wait(limit: limit)
    }

    /// Runs `program` like `run`, but waits as a task does (see `Started.exit(within:)`), so
    /// that a test waiting for a child does not starve every other test of threads.
    static func finish(_ program: String, _ arguments: [String], within limit: Duration = .seconds(15)) async throws(Failure) -> Result {
        try await start(program, arguments).exit(within: limit)
    }

    /// A child started by `start`, to be waited for (or killed) by the test.
    struct Started {
        var pid: pid_t
        var program: String
        var outputPath: String

        /// Waits for the child to end like `wait(limit:)`, but sleeps between its checks as a
        /// task does, so that a long wait does not hold one of the few threads that every
        /// other test's tasks run on.
        func exit(within limit: Duration = .seconds(15)) async throws(Failure) -> Result {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                // Look without reaping; `wait` reaps it, or kills it once the time is up.
                var info = siginfo_t()
                let checked = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
                if checked == 0 && info.si_signo != 0 { break }
                if checked < 0 && errno != EINTR { break }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return try wait(limit: max(.zero, deadline - ContinuousClock.now))
        }

        /// Waits for the child to end; kills it after `limit`.
        func wait(limit: Duration = .seconds(15)) throws(Failure) -> Result {
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
    static func start(_ program: String, _ arguments: [String]) throws(Failure) -> Started {
        let outputPath = NSTemporaryDirectory() + "baton-child-\(UUID().uuidString).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
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
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
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
