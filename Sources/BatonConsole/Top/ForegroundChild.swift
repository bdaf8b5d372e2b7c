import Foundation

/// Runs a program on the terminal in the foreground and waits for it, as a shell runs a
/// command: it inherits standard input, output and error, and signals back at their defaults.
enum ForegroundChild {
    /// How a child ended.
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        /// It could not be started: the reason.
        case notStarted(String)
    }

    /// Starts `path` with `arguments` (`argv[0]` is `name`), calls `started` with its pid, and
    /// waits for it to end.
    static func run(_ path: String, name: String, arguments: [String], started: (pid_t) -> Void, ended: () -> Void) -> Ending {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Baton ignores SIGINT, SIGTERM and SIGHUP while it watches them, and a child would
        // inherit that; the thread that spawns may block signals, and the child would keep the mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([name] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, nil, &attributes, argv, environ)
        guard spawned == 0 else { return .notStarted(String(cString: strerror(spawned))) }
        started(pid)
        defer { ended() }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return .notStarted("lost track of it: \(String(cString: strerror(errno)))") }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// This program's own executable, to run as a child: `/proc/self/exe` works even after the
    /// file was replaced or removed (an upgrade while a wall screen runs for days), and its
    /// target's name is the child's `argv[0]`.
    static var ownExecutable: (path: String, name: String) {
        let link = "/proc/self/exe"
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count > 0 else { return (link, CommandLine.arguments.first ?? "baton") }
        var name = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if name.hasSuffix(" (deleted)") { name.removeLast(" (deleted)".count) }
        return (link, name)
    }
}
