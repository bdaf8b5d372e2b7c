#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Puts the terminal back to how the shell left it when the console crashes or must exit at once.
///
/// Call `saveState()` and `installCrashHandlers()` early on the main thread, before the
/// backend starts, and `prepareCurrentThread()` on any other thread that draws. On SIGSEGV,
/// SIGBUS, SIGILL, SIGTRAP, SIGFPE or SIGABRT (Swift runtime traps end in one of these), and
/// on the other signals whose default is to dump core — SIGQUIT, SIGSYS, SIGXCPU, SIGXFSZ —
/// the handler leaves the alternate screen, shows the cursor, resets colours and restores the
/// saved termios, using only async-signal-safe calls; then the handler that was there before
/// (the Swift runtime's backtracer) gets its turn, so a crash report still appears — now on a
/// usable screen — and the process ends with the signal's default action (a core dump, if
/// enabled). From then on `hasCrashed` is true and the backend draws nothing more.
///
/// While curses owns the screen, the backend also diverts standard error into a hidden
/// temporary file (`captureStandardError`), so that stray writes — log lines, a child's
/// complaints, Swift's "Fatal error: …" message — cannot scribble over the display. The
/// captured text (its last 64 KiB) is written back to the real standard error when the
/// screen is given back: on shutdown, on `restoreNow()`, and in the crash handler, so the
/// fatal error message is shown just above the backtrace.
public enum TerminalRestorer {
    /// The signals treated as crashes: those whose default action is to dump core.
    public static let crashSignals: [Int32] = [
        SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, SIGQUIT, SIGSYS, SIGXCPU, SIGXFSZ,
    ]

    /// Remembers the terminal's current settings (the first of stdout, stdin, stderr that is a
    /// terminal). Only the first call has an effect; does nothing when no terminal is attached.
    public static func saveState() {
        for descriptor in [STDOUT_FILENO, STDIN_FILENO, STDERR_FILENO] where isatty(descriptor) == 1 {
            saveState(descriptor: descriptor)
            return
        }
    }

    /// Remembers the settings of `descriptor` (a terminal, or any descriptor for tests: then
    /// only the escape sequence is written on restore). Only the first call has an effect.
    static func saveState(descriptor: Int32) {
        guard restorerState == nil else { return }
        let sequence = Array(restoreSequence.utf8)
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: sequence.count)
        bytes.initialize(from: sequence, count: sequence.count)
        let state = UnsafeMutablePointer<RestorerState>.allocate(capacity: 1)
        state.initialize(to: RestorerState(
            descriptor: descriptor, hasAttributes: false, attributes: termios(),
            sequence: bytes, sequenceLength: sequence.count, previousActions: nil, nullDescriptor: -1))
        state.pointee.hasAttributes = tcgetattr(descriptor, &state.pointee.attributes) == 0
        restorerState = state
    }

    /// True once `saveState` found a terminal (or was given a descriptor).
    public static var hasSavedState: Bool { restorerState != nil }

    /// Tells the restorer whether the screen is currently taken over (alternate screen, hidden
    /// cursor). The backend sets this; while false, restoring only resets the termios, because
    /// leaving the alternate screen when not in it would move the shell's cursor.
    public static func setScreenActive(_ active: Bool) {
        screenActive.store(active, ordering: .sequentiallyConsistent)
    }

    /// True once a crash handler has given the terminal back: the process is dying, and nothing
    /// may be drawn any more (the backtracer lets the other threads run on for a moment).
    public static var hasCrashed: Bool { crashed.load(ordering: .sequentiallyConsistent) }

    /// Installs the crash handlers (once; later calls do nothing). Saves the state first if
    /// `saveState()` was not called. Also gives the calling thread an alternate signal stack,
    /// if it has none, so that a stack overflow there is caught as well.
    public static func installCrashHandlers() {
        saveState()
        guard let state = restorerState, state.pointee.previousActions == nil else { return }
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(slotCount))
        previous.initialize(repeating: sigaction(), count: Int(slotCount))
        for signal in crashSignals { _ = sigaction(signal, nil, &previous[Int(signal)]) }
        state.pointee.previousActions = previous
        state.pointee.nullDescriptor = open("/dev/null", O_WRONLY | O_CLOEXEC)
        // Touch the atomics now so the handler never runs their one-time initialisation.
        _ = screenActive.load(ordering: .relaxed)
        _ = crashed.load(ordering: .relaxed)
        _ = capturedErrorDescriptor.load(ordering: .relaxed)
        _ = originalErrorDescriptor.load(ordering: .relaxed)
        ensureAlternateStack()
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = crashSignalHandler
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        // A signal the parent ignores (a shell ignores SIGQUIT for a command it runs in the
        // background) stays ignored: being a console must not make it fatal.
        for signal in crashSignals where !isIgnored(previous[Int(signal)]) { _ = sigaction(signal, &action, nil) }
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        guard action.sa_flags & SA_SIGINFO == 0, let handler = action.__sigaction_handler.sa_handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Gives the calling thread an alternate signal stack, if it has none, so that the crash
    /// handler can still run when this thread overflows its stack. (Without one, the handler
    /// would need the very stack that ran out, and the process would die with the terminal
    /// still taken over.) Call it at the start of every thread that runs console code; the
    /// stack is kept for the life of the process.
    public static func prepareCurrentThread() {
        ensureAlternateStack()
    }

    /// Restores the terminal now, from any thread: for an exit that cannot go through the
    /// backend's `shutdown()`. Call it just before exiting; curses must not draw afterwards.
    public static func restoreNow() {
        restoreTerminal()
        releaseCapturedErrorSignalSafe()
    }

    /// Points standard error at a hidden temporary file until `releaseStandardError()`. Does
    /// nothing (and returns false) when standard error is not a terminal — a redirected stderr
    /// cannot spoil the screen — or when capturing already or the file cannot be made.
    @discardableResult
    public static func captureStandardError() -> Bool {
        guard isatty(STDERR_FILENO) == 1, capturedErrorDescriptor.load(ordering: .sequentiallyConsistent) < 0 else {
            return false
        }
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/baton-stderr-XXXXXX".utf8CString)
        let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard file >= 0 else { return false }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(file, F_SETFD, FD_CLOEXEC)
        let original = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)
        guard original >= 0 else {
            close(file)
            return false
        }
        if replayBuffer == nil { replayBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: replayChunk) }
        originalErrorDescriptor.store(original, ordering: .sequentiallyConsistent)
        capturedErrorDescriptor.store(file, ordering: .sequentiallyConsistent)
        guard dup2(file, STDERR_FILENO) >= 0 else {
            releaseCapturedErrorSignalSafe()
            return false
        }
        return true
    }

    /// Gives standard error back to the terminal and writes to it what was captured meanwhile.
    public static func releaseStandardError() {
        releaseCapturedErrorSignalSafe()
    }

    /// What is written to leave the alternate screen, show the cursor, reset attributes and
    /// cursor-key mode, turn mouse reporting off (every mode curses may have turned on, so the
    /// shell is not sent clicks as text) and bracketed paste, and start a fresh line.
    static let restoreSequence = "\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\u{1B}[?1l\u{1B}>\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l\u{1B}[?2004l\r\n"

    private static func ensureAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 64 * 1024
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        _ = sigaltstack(&stack, nil)
    }
}

/// Everything the signal handler needs, in C-layout memory reached through one pointer.
struct RestorerState {
    var descriptor: Int32
    var hasAttributes: Bool
    var attributes: termios
    var sequence: UnsafeMutablePointer<UInt8>
    var sequenceLength: Int
    /// The actions that were installed before ours, indexed by signal number.
    var previousActions: UnsafeMutablePointer<sigaction>?
    /// /dev/null, opened in advance: what standard output becomes once a crash has given
    /// the screen back, so that a frame curses draws on another thread cannot land on it.
    var nullDescriptor: Int32
}

private let slotCount: Int32 = 65

// Safe without a lock: the pointer and what it points to are written only by saveState and
// installCrashHandlers, on the main thread at startup, before any crash handler is installed;
// afterwards they are only read (by handlers and restoreNow).
nonisolated(unsafe) private var restorerState: UnsafeMutablePointer<RestorerState>? = nil

/// Whether curses currently owns the screen. Lock-free, so the handler may read it.
private let screenActive = Atomic<Bool>(false)

/// Set by the crash handler once it has given the terminal back.
private let crashed = Atomic<Bool>(false)

/// The hidden file standard error points at while captured, else -1.
private let capturedErrorDescriptor = Atomic<Int32>(-1)
/// A duplicate of the real standard error while captured, else -1.
private let originalErrorDescriptor = Atomic<Int32>(-1)
/// At most this much of the captured text is written back (the end of it).
private let replayLimit = 64 * 1024
private let replayChunk = 4096
// Safe without a lock: allocated once by captureStandardError on the UI thread before the
// first capture; afterwards only used by whoever wins the exchange in
// releaseCapturedErrorSignalSafe, so never by two callers at once.
nonisolated(unsafe) private var replayBuffer: UnsafeMutablePointer<UInt8>? = nil

/// Stops capturing standard error and writes the end of what was captured to the real one.
/// Async-signal-safe: exchange, dup2, lseek, read, write, close.
private func releaseCapturedErrorSignalSafe() {
    let captured = capturedErrorDescriptor.exchange(-1, ordering: .sequentiallyConsistent)
    let original = originalErrorDescriptor.exchange(-1, ordering: .sequentiallyConsistent)
    guard captured >= 0 else { return }
    if original >= 0 {
        _ = dup2(original, STDERR_FILENO)
        close(original)
    }
    defer { close(captured) }
    guard let buffer = replayBuffer else { return }
    let end = lseek(captured, 0, SEEK_END)
    guard end > 0 else { return }
    _ = lseek(captured, max(0, end - off_t(replayLimit)), SEEK_SET)
    while true {
        let count = read(captured, buffer, replayChunk)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return }
        var offset = 0
        while offset < count {
            let written = write(STDERR_FILENO, buffer + offset, count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

/// Writes the reset sequence (if the screen is taken over) and restores the termios; returns
/// whether the screen was taken over. Async-signal-safe: write(2) and tcsetattr(3) on memory
/// prepared in advance.
@discardableResult
private func restoreTerminal() -> Bool {
    guard let state = restorerState else { return false }
    let descriptor = state.pointee.descriptor
    let active = screenActive.load(ordering: .sequentiallyConsistent)
    if active {
        var offset = 0
        while offset < state.pointee.sequenceLength {
            let written = write(descriptor, state.pointee.sequence + offset, state.pointee.sequenceLength - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
    }
    if state.pointee.hasAttributes {
        _ = tcsetattr(descriptor, TCSANOW, &state.pointee.attributes)
    }
    return active
}

private func crashSignalHandler(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let tookOver = restoreTerminal()
    crashed.store(true, ordering: .sequentiallyConsistent)
    releaseCapturedErrorSignalSafe()
    guard let state = restorerState, let previous = state.pointee.previousActions, signal > 0, signal < slotCount else {
        _ = Glibc.signal(signal, SIG_DFL)
        _ = raise(signal)
        return
    }
    // A fault raised by the CPU (a positive si_code on SIGSEGV, SIGBUS, SIGILL or SIGFPE)
    // happens again when this handler returns, and then reaches the previous handler (the
    // Swift runtime's backtracer) with its real context, on a usable screen. (Calling that
    // handler from here instead breaks it after a stack overflow: the report stops half way.)
    let code = info?.pointee.si_code ?? 0
    if code > 0 && (signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE) {
        _ = sigaction(signal, &previous[Int(signal)], nil)
        return
    }
    // Nothing repeats the others — abort(), kill, SIGTRAP (whose instruction does not repeat on
    // every architecture), the kernel's SIGSYS, SIGXCPU and SIGXFSZ. Give the previous handler
    // its turn now, then end with the default action for certain: a handler may simply return
    // (the Swift runtime's does, after a SIGQUIT).
    let action = previous[Int(signal)]
    if action.sa_flags & SA_SIGINFO != 0 {
        action.__sigaction_handler.sa_sigaction?(signal, info, context)
    } else if let handler = action.__sigaction_handler.sa_handler,
              unsafeBitCast(handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
        handler(signal)
    }
    // The backtracer pauses the other threads and lets them go on before it returns; whatever
    // curses still writes from now on goes nowhere instead of over the report.
    if tookOver && state.pointee.nullDescriptor >= 0 {
        _ = dup2(state.pointee.nullDescriptor, STDOUT_FILENO)
    }
    _ = Glibc.signal(signal, SIG_DFL)
    var only = sigset_t()
    sigemptyset(&only)
    sigaddset(&only, signal)
    _ = pthread_sigmask(SIG_UNBLOCK, &only, nil)
    _ = raise(signal)
}
