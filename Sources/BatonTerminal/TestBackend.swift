/// An in-memory terminal for tests: it keeps the last buffer drawn and hands out queued input.
///
/// `inputDescriptor` is a real descriptor that turns readable while events are queued, so a
/// runtime loop that polls it behaves as it would with a terminal. Use it from one thread.
public final class TestBackend: TerminalBackend {
    public private(set) var width: Int
    public private(set) var height: Int
    public var capabilities: TerminalCapabilities
    /// What the terminal shows: the last buffer drawn (blank before the first draw).
    public private(set) var screen: Buffer
    /// How many times `bell()` was called.
    public private(set) var bellCount = 0
    /// How many times `draw(_:)` was called.
    public private(set) var drawCount = 0
    /// How many times `shutdown()` was called.
    public private(set) var shutdownCount = 0
    /// Whether the terminal is given to another program now (between `suspend()` and `resume()`).
    public private(set) var isSuspended = false
    /// How many times `suspend()` was called.
    public private(set) var suspendCount = 0
    /// Mouse reporting was asked for (`init(mouse:)`), as `CursesBackend` is asked.
    public let wantsMouse: Bool
    /// Whether a real terminal would report the mouse now: asked for, and the terminal neither
    /// given to another program nor shut down.
    public var isReportingMouse: Bool { wantsMouse && !isSuspended && shutdownCount == 0 }
    private var queued: [InputEvent] = []
    private let signal: WakeSignal?

    public init(
        width: Int = 80, height: Int = 24,
        capabilities: TerminalCapabilities = TerminalCapabilities(colors: .indexed256, unicode: true), mouse: Bool = false
    ) {
        wantsMouse = mouse
        self.width = max(0, width)
        self.height = max(0, height)
        self.capabilities = capabilities
        self.screen = Buffer(width: self.width, height: self.height)
        self.signal = try? WakeSignal()
    }

    /// Readable while events are queued; -1 (which poll ignores) if no pipe could be opened.
    public var inputDescriptor: Int32 { signal?.readDescriptor ?? -1 }

    public func draw(_ buffer: Buffer) {
        screen = buffer
        drawCount += 1
    }

    public func pendingEvents() -> [InputEvent] {
        let events = queued
        queued.removeAll()
        signal?.drain()
        return events
    }

    public func bell() { bellCount += 1 }

    public func shutdown() { shutdownCount += 1 }

    public func suspend() {
        isSuspended = true
        suspendCount += 1
    }

    public func resume() { isSuspended = false }

    /// Adds events for the next `pendingEvents()`.
    public func queue(_ events: [InputEvent]) {
        queued.append(contentsOf: events)
        if !events.isEmpty { signal?.wake() }
    }

    /// Adds key presses for the next `pendingEvents()`.
    public func queue(keys: [Key]) {
        queue(keys.map(InputEvent.key))
    }

    /// Adds mouse events for the next `pendingEvents()`, as a terminal reports them.
    public func queue(mouse events: [MouseEvent]) {
        queue(events.map(InputEvent.mouse))
    }

    /// A left click at a cell: a press and a release, as a terminal reports one.
    public func click(x: Int, y: Int, button: Int = 1) {
        queue(mouse: [MouseEvent(.press, button: button, x: x, y: y), MouseEvent(.release, button: button, x: x, y: y)])
    }

    /// Turns the wheel at a cell, `notches` times: down for positive, up for negative.
    public func wheel(_ notches: Int, x: Int, y: Int) {
        let kind: MouseEvent.Kind = notches > 0 ? .wheelDown : .wheelUp
        queue(mouse: Array(repeating: MouseEvent(kind, x: x, y: y), count: abs(notches)))
    }

    /// Types `text` as character keys.
    public func type(_ text: String) {
        queue(text.map { InputEvent.key(.character($0)) })
    }

    /// Changes the size, as a terminal window resize would, and queues the `.resize` event.
    public func resize(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        queue([.resize(width: self.width, height: self.height)])
    }

    /// The screen's rows as text, trailing spaces removed.
    public var lines: [String] { screen.lines }

    /// The screen as one string, rows joined by newlines (handy in failure messages).
    public var text: String { lines.joined(separator: "\n") }
}
