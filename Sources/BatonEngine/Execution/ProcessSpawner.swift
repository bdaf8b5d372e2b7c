import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child started by `ProcessSpawner`: its pid (also its process group id), a descriptor
/// that becomes readable when it exits, and the read ends of its stdout and stderr pipes.
/// All descriptors are close-on-exec and non-blocking; the caller owns them.
struct SpawnedProcess: Sendable {
    var pid: pid_t
    var exitDescriptor: Int32
    var standardOutput: Int32
    var standardError: Int32
}

/// Why a command could not be started.
struct SpawnFailure: Error, Sendable {
    var reason: String
}

/// Starts `/bin/sh -c command` (or a program and its arguments) with `posix_spawn`, in a process
/// group of its own, with stdin from /dev/null (or a descriptor the caller gives), stdout and
/// stderr on two pipes, no other descriptor of Baton's, an empty signal mask and default
/// dispositions for the signals a shell cares about.
enum ProcessSpawner {
    /// Signals whose disposition the child gets back to the default, in case Baton (or its
    /// terminal library) ignores them: an ignored signal would stay ignored across `exec`.
    private static let defaultedSignals: [Int32] = [
        SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD,
        SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH, SIGXFSZ,
    ]

    /// - Parameters:
    ///   - environment: variables that replace or add to the inherited ones.
    ///   - usePidfd: false forces the fallback exit watcher (a thread blocked in `waitid`),
    ///     which is otherwise used only when `pidfd_open` is missing.
    static func spawn(
        command: String, environment: [String: String], directory: String?, usePidfd: Bool = true
    ) throws(SpawnFailure) -> SpawnedProcess {
        if let directory, ProcessLibc.addChdir == nil {
            // No addchdir_np: let a first shell change directory, then run the command.
            let arguments = ["/bin/sh", "-c", "cd -- \"$0\" && exec /bin/sh -c \"$1\"", directory, command]
            return try spawn(arguments: arguments, environment: environment, directory: nil, usePidfd: usePidfd)
        }
        return try spawn(arguments: ["/bin/sh", "-c", command], environment: environment, directory: directory, usePidfd: usePidfd)
    }

    /// Starts `arguments[0]` (looked up in `PATH` when it has no `/`) with the rest as its
    /// arguments, in `directory` if given (which needs `addchdir_np`; `spawn(command:)` goes
    /// through a shell without it); with `standardInput`, the child reads that descriptor
    /// instead of /dev/null (the caller still owns it).
    static func spawn(
        arguments: [String], environment: [String: String], directory: String?, standardInput: Int32? = nil,
        usePidfd: Bool = true
    ) throws(SpawnFailure) -> SpawnedProcess {
        guard let program = arguments.first else { throw SpawnFailure(reason: "nothing to start") }
        if directory != nil && ProcessLibc.addChdir == nil {
            throw SpawnFailure(reason: "cannot start \(program) in another directory: this system has no posix_spawn_file_actions_addchdir_np")
        }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe) else {
            throw SpawnFailure(reason: "could not create a pipe: \(ProcessLibc.describe(errno))")
        }
        guard makePipe(&errPipe) else {
            let code = errno
            close(outPipe[0])
            close(outPipe[1])
            throw SpawnFailure(reason: "could not create a pipe: \(ProcessLibc.describe(code))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        if let closefrom = ProcessLibc.addClosefrom {
            _ = withUnsafeMutablePointer(to: &actions) { closefrom(UnsafeMutableRawPointer($0), 3) }
        }

        if let directory, let chdir = ProcessLibc.addChdir {
            _ = withUnsafeMutablePointer(to: &actions) { pointer in
                directory.withCString { chdir(UnsafeMutableRawPointer(pointer), $0) }
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaulted = sigset_t()
        sigemptyset(&defaulted)
        for signal in defaultedSignals { sigaddset(&defaulted, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaulted)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environmentBlock(overrides: environment)
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }

        var pid: pid_t = 0
        let status = program.contains("/")
            ? posix_spawn(&pid, program, &actions, &attributes, argv, envp)
            : posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnFailure(reason: "could not start \(program): \(ProcessLibc.describe(status))")
        }
        _ = fcntl(outPipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(errPipe[0], F_SETFL, O_NONBLOCK)

        guard let exitDescriptor = exitWatch(pid: pid, usePidfd: usePidfd) else {
            let code = errno
            // Nothing to watch the shell with: take it back rather than lose track of it.
            _ = kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnFailure(reason: "could not watch the started shell: \(ProcessLibc.describe(code))")
        }
        return SpawnedProcess(
            pid: pid, exitDescriptor: exitDescriptor, standardOutput: outPipe[0], standardError: errPipe[0])
    }

    /// A pipe with both ends close-on-exec.
    static func makePipe(_ fds: inout [Int32]) -> Bool {
        if let pipe2 = ProcessLibc.pipe2 {
            return fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress, O_CLOEXEC) } == 0
        }
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// A descriptor that becomes readable once `pid` has exited (it stays a zombie until
    /// reaped): a pidfd, or the read end of a pipe whose write end a watcher thread closes
    /// when `waitid(WNOWAIT)` reports the exit. Nil (with `errno` set) if neither can be had.
    private static func exitWatch(pid: pid_t, usePidfd: Bool) -> Int32? {
        if usePidfd, let pidfdOpen = ProcessLibc.pidfdOpen {
            let fd = pidfdOpen(pid, 0)  // always close-on-exec
            if fd >= 0 { return fd }
        }
        var fds: [Int32] = [-1, -1]
        guard makePipe(&fds) else { return nil }
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        let writeEnd = fds[1]
        Thread.detachNewThread {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
            close(writeEnd)
        }
        return fds[0]
    }

    /// The inherited environment with `overrides` applied, as `KEY=VALUE` C strings followed by
    /// a nil; every pointer but the last must be freed.
    private static func environmentBlock(overrides: [String: String]) -> [UnsafeMutablePointer<CChar>?] {
        var block: [UnsafeMutablePointer<CChar>?] = []
        block.reserveCapacity(64)
        var cursor = environ
        while let entry = cursor.pointee {
            cursor += 1
            if !overrides.isEmpty, let equals = strchr(entry, 0x3D) {
                let keyLength = entry.distance(to: equals)
                let key = UnsafeRawBufferPointer(start: entry, count: keyLength)
                if overrides.keys.contains(where: { $0.utf8.elementsEqual(key) }) { continue }
            }
            block.append(strdup(entry))
        }
        for (key, value) in overrides where !key.isEmpty && !key.utf8.contains(0x3D) {
            block.append(strdup("\(key)=\(value)"))
        }
        block.append(nil)
        return block
    }
}
