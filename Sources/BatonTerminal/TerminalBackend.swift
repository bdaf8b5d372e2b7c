/// What the console runtime needs from a terminal: its size, drawing, input and teardown.
///
/// A backend is used from one thread only (curses is not thread-safe). That thread waits for
/// `inputDescriptor` (and a `WakeSignal`) with `EventWaiter`, then calls `pendingEvents()`.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    var capabilities: TerminalCapabilities { get }
    /// Shows the buffer: sends only cells that changed since the last draw, then flushes.
    func draw(_ buffer: Buffer)
    /// Returns every input event available now without blocking (may be empty).
    func pendingEvents() -> [InputEvent]
    /// The file descriptor that becomes readable when input is available (for poll).
    var inputDescriptor: Int32 { get }
    func bell()
    /// Restores the terminal (endwin); safe to call twice.
    func shutdown()
    /// Gives the terminal to another program for a while: the shell's modes and screen come
    /// back as after `shutdown()`, but the backend stays, to be taken up again with `resume()`.
    func suspend()
    /// Takes the terminal back after `suspend()`: the console's modes again, its size read
    /// afresh (`width`, `height`), and the next `draw` repaints every cell.
    func resume()
}

/// What the terminal can show.
public struct TerminalCapabilities: Sendable, Hashable {
    public var colors: ColorSupport
    /// True when the locale is UTF-8, so non-ASCII text (box drawing, glyphs, CJK) can be drawn.
    public var unicode: Bool

    public init(colors: ColorSupport, unicode: Bool) {
        self.colors = colors
        self.unicode = unicode
    }
}

/// How many colours the terminal has; `none` also when `NO_COLOR` is set.
public enum ColorSupport: Int, Sendable, Comparable {
    case none = 0, ansi8 = 8, ansi16 = 16, indexed256 = 256

    /// The support level for a terminal reporting `count` colours.
    public init(colorCount count: Int) {
        switch count {
        case 256...: self = .indexed256
        case 16...: self = .ansi16
        case 8...: self = .ansi8
        default: self = .none
        }
    }

    public static func < (lhs: ColorSupport, rhs: ColorSupport) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a terminal facility could not be set up.
public enum TerminalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Standard input or output is not a terminal (piped, redirected, or run without a tty).
    case notATerminal(String)
    /// curses could not start, usually because `TERM` names an unknown terminal.
    case initializationFailed(String)
    /// A system call failed; `errno` is its error number.
    case systemCall(String, errno: Int32)

    public var description: String {
        switch self {
        case .notATerminal(let detail): return detail
        case .initializationFailed(let detail): return detail
        case .systemCall(let call, let number): return "\(call) failed (errno \(number))"
        }
    }
}
