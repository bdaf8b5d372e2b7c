import BatonTerminal
import Foundation

/// A test seam: a backend that crashes Baton on purpose in the middle of a console session.
///
/// It exists only so that the end-to-end tests can prove that a real crash while curses owns
/// the screen leaves a usable terminal behind: `TerminalRestorer`'s crash handler must leave
/// the alternate screen, show the cursor and restore the termios before the process dies of
/// the signal. Nothing else in Baton can be made to crash on purpose, and a test cannot cause
/// a real fault in another process from outside (`kill -ILL` carries no fault address, and
/// takes another path through the handler).
///
/// It is armed only by the environment variable `BATON_TEST_CRASH_AFTER_FRAMES`, a name no
/// one sets by accident; it is not a command-line option and is in no help text. Its value is
/// a frame count N ≥ 1, optionally followed by the kind of crash:
///
/// - `N` or `N:trap` — a Swift runtime trap (`fatalError`: SIGILL on x86_64, SIGTRAP on arm64);
/// - `N:stack-overflow` — unbounded recursion on the console's thread (SIGSEGV), which the
///   handler can only catch on an alternate signal stack.
///
/// The crash comes on the draw after the Nth, on the thread that owns curses. Unset, or set
/// to anything else, `wrap` returns the real backend itself.
final class CrashAfterFramesBackend: TerminalBackend {
    /// The environment variable that arms the seam.
    static let variable = "BATON_TEST_CRASH_AFTER_FRAMES"

    /// How to crash.
    enum Kind: String {
        case trap
        case stackOverflow = "stack-overflow"
    }

    private let wrapped: TerminalBackend
    private let frameLimit: Int
    private let kind: Kind
    private var frames = 0

    private init(wrapping backend: TerminalBackend, frameLimit: Int, kind: Kind) {
        wrapped = backend
        self.frameLimit = frameLimit
        self.kind = kind
    }

    /// The backend to run the console on: `backend` itself, or, when the seam is armed, a
    /// wrapper that crashes once `backend` has drawn N frames.
    static func wrap(_ backend: TerminalBackend) -> TerminalBackend {
        guard let value = ProcessInfo.processInfo.environment[variable] else { return backend }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard let count = parts.first.flatMap({ Int($0) }), count >= 1,
              let kind = parts.count == 2 ? Kind(rawValue: parts[1]) : .trap else { return backend }
        return CrashAfterFramesBackend(wrapping: backend, frameLimit: count, kind: kind)
    }

    var width: Int { wrapped.width }
    var height: Int { wrapped.height }
    var capabilities: TerminalCapabilities { wrapped.capabilities }
    var inputDescriptor: Int32 { wrapped.inputDescriptor }

    func draw(_ buffer: Buffer) {
        guard frames < frameLimit else { crash() }
        frames += 1
        wrapped.draw(buffer)
    }

    func pendingEvents() -> [InputEvent] { wrapped.pendingEvents() }
    func bell() { wrapped.bell() }
    func shutdown() { wrapped.shutdown() }
    func suspend() { wrapped.suspend() }
    func resume() { wrapped.resume() }

    private func crash() -> Never {
        let reason = "\(Self.variable) asked for a crash (\(kind.rawValue)) after \(frameLimit) frames; a test seam"
        if kind == .stackOverflow {
            FileHandle.standardError.write(Data("\(reason)\n".utf8))
            _ = Self.descend(0)
        }
        fatalError(reason)
    }

    /// Recurses until the stack runs out. Each frame keeps a buffer alive across the call, so
    /// the recursion cannot be turned into a loop.
    @inline(never)
    private static func descend(_ depth: Int) -> Int {
        guard depth < Int.max else { return depth }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 128) { frame in
            frame.initialize(repeating: depth)
            return descend(depth + 1) &+ frame[depth % frame.count]
        }
    }
}
