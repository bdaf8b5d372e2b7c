// The only file that talks to ncurses. `@preconcurrency` because Swift 6 rejects the C
// globals stdscr, COLORS and COLOR_PAIRS otherwise; they are read on the backend's thread only.
@preconcurrency import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The real terminal, driven through ncurses: draws buffers by sending only changed cells, and
/// decodes keys, resizes and, when asked, the mouse.
///
/// Use it from one thread. Input is non-blocking: wait for `inputDescriptor` with
/// `EventWaiter`, then call `pendingEvents()`. Ctrl-C, Ctrl-Z, Ctrl-\, Ctrl-S, Ctrl-Q and Ctrl-V
/// arrive as keys (the terminal's signal and flow-control characters are switched off while
/// the console runs); signals sent from outside (kill) still arrive as signals. A SIGWINCH
/// makes `inputDescriptor` readable whichever thread the kernel delivered it to, so a resize
/// is seen at once. While it runs, standard error goes to a hidden file and is written out
/// after `shutdown()`, so stray writes cannot spoil the screen. `shutdown()` restores the
/// terminal; call it before exiting.
///
/// With `mouse`, the terminal reports button presses and releases and the wheel (no motion),
/// each at once (`mouseinterval(0)`: nothing waits to see whether a click follows); reporting
/// is off again while another program has the terminal (`suspend()`) and after `shutdown()`.
public final class CursesBackend: TerminalBackend {
    public private(set) var width: Int
    public private(set) var height: Int
    public let capabilities: TerminalCapabilities

    private let window: UnsafeMutablePointer<WINDOW>
    /// What the terminal shows, as far as this backend knows; nil forces a full repaint.
    private var shown: Buffer?
    private var isShutDown = false
    /// Between `suspend()` and `resume()`: another program has the terminal.
    private var isSuspended = false
    /// Set once stdin reports a hang-up; from then on there is no input to wait for.
    private var hungUp = false
    /// Drops the escape sequences curses hands over undecoded, byte by byte, and gathers pastes.
    private var sequences = EscapeSequenceFilter()
    /// Mouse reporting was asked for (`init(mouse:)`).
    private let wantsMouse: Bool
    /// Standard error was diverted by this backend (see `TerminalRestorer.captureStandardError`).
    private var capturesStandardError = false
    /// Colours usable in pairs: 0 when colour is off, else 8, 16, 256 or (direct colour) 2^24.
    private let colorCount: Int
    /// The terminal takes 24-bit RGB values as colour numbers (terminfo "RGB", e.g. xterm-direct).
    private let isDirectColor: Bool
    /// use_default_colors worked, so -1 means the terminal's own foreground and background.
    private let hasDefaultColors: Bool
    private let pairLimit: Int
    private var pairs: [ColorPairKey: Int32] = [:]
    /// epoll set holding stdin and the resize pipe (Linux); -1 when stdin is polled directly.
    private var epollDescriptor: Int32 = -1
    private var resizeReadDescriptor: Int32 = -1
    private var resizeWriteDescriptor: Int32 = -1

    /// True when the `NO_COLOR` environment variable is set and not empty.
    public static var noColorRequested: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    /// Takes over the terminal: alternate screen, no echo, keys one at a time, hidden cursor.
    ///
    /// - Parameters:
    ///   - noColor: draw without colours (attributes such as bold stay); defaults to whether
    ///     `NO_COLOR` is set.
    ///   - mouse: turn mouse reporting on (clicks and the wheel arrive as `.mouse` events).
    /// - Throws: `TerminalError.notATerminal` when stdin or stdout is not a terminal,
    ///   `TerminalError.initializationFailed` when curses cannot start (unknown `TERM`).
    public init(noColor: Bool = CursesBackend.noColorRequested, mouse: Bool = false) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.notATerminal(
                "the console needs a terminal: standard input and output must not be redirected")
        }
        setlocale(LC_ALL, "")
        let unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        TerminalRestorer.saveState()
        let terminalName = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !terminalName.isEmpty else {
            throw TerminalError.initializationFailed("TERM is not set, so the terminal type is unknown")
        }
        guard newterm(nil, stdout, stdin) != nil, let window = stdscr else {
            throw TerminalError.initializationFailed(
                "curses could not start on terminal type '\(terminalName)' (is TERM right, and its terminfo installed?)")
        }
        // A terminal that cannot move the cursor (TERM=dumb, a printing terminal) would get
        // every row drawn onto its last line.
        let moveCursor = tigetstr("cup").map { Int(bitPattern: $0) } ?? 0
        guard moveCursor != 0, moveCursor != -1 else {
            endwin()
            TerminalRestorer.restoreNow()
            throw TerminalError.initializationFailed(
                "terminal type '\(terminalName)' cannot move the cursor, which the console needs")
        }
        self.window = window
        wantsMouse = mouse
        TerminalRestorer.setScreenActive(true)
        capturesStandardError = TerminalRestorer.captureStandardError()

        cbreak()
        noecho()
        nonl()
        intrflush(window, false)
        keypad(window, true)
        nodelay(window, true)
        leaveok(window, true)
        set_escdelay(25)
        curs_set(0)
        Self.passControlKeysThrough()

        var count = 0
        var defaults = false
        if !noColor && has_colors() {
            start_color()
            defaults = use_default_colors() == OK
            count = Int(COLORS)
        }
        colorCount = count
        isDirectColor = count >= 0x100_0000 || (count > 256 && tigetflag("RGB") > 0)
        hasDefaultColors = defaults
        pairLimit = count > 0 ? Int(COLOR_PAIRS) : 0
        capabilities = TerminalCapabilities(colors: ColorSupport(colorCount: count), unicode: unicode)
        height = Int(getmaxy(window))
        width = Int(getmaxx(window))
        watchResizes()
        reportMouse(true)
        bracketPastes(true)
    }

    deinit {
        shutdown()
        for descriptor in [epollDescriptor, resizeReadDescriptor, resizeWriteDescriptor] where descriptor >= 0 {
            close(descriptor)
        }
    }

    public var inputDescriptor: Int32 {
        // A hung-up terminal stays "readable" forever; waiting on it would spin.
        if hungUp { return -1 }
        return epollDescriptor >= 0 ? epollDescriptor : STDIN_FILENO
    }

    // MARK: Drawing

    public func draw(_ buffer: Buffer) {
        guard !isShutDown, !isSuspended else { return }
        let full = shown == nil || shown?.width != buffer.width || shown?.height != buffer.height
        if full {
            werase(window)
            clearok(window, true)
        }
        for change in buffer.changes(since: full ? nil : shown) {
            guard change.x < width, change.y < height else { continue }
            let cell = change.cell
            if cell.isContinuation {
                // The lead cell drew two columns, unless its glyph had to fall back to one.
                let lead = buffer[change.x - 1, change.y]
                if change.x > 0 && !lead.isContinuation && glyph(for: lead).columns == 2 { continue }
                put([0x20], x: change.x, y: change.y, style: cell.style)
                continue
            }
            let (text, columns) = glyph(for: cell)
            if columns == 2 && change.x + 1 >= width {
                put([0x20], x: change.x, y: change.y, style: cell.style)
            } else {
                put(text, x: change.x, y: change.y, style: cell.style)
            }
        }
        wnoutrefresh(window)
        // A crash on another thread has given the screen back: a frame now would land on the
        // crash report.
        guard !TerminalRestorer.hasCrashed else { return }
        doupdate()
        shown = buffer
    }

    /// The characters to send for a cell and the columns curses will give them: the buffer's
    /// symbol when the terminal's locale agrees on its width, otherwise a one-column stand-in,
    /// so that curses' idea of the columns never drifts from the buffer's.
    private func glyph(for cell: Cell) -> (text: [wchar_t], columns: Int) {
        let question: [wchar_t] = [0x3F]
        let scalars = Array(cell.symbol.unicodeScalars)
        guard let first = scalars.first else { return ([0x20], 1) }
        if scalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) {
            return (question, 1)
        }
        guard capabilities.unicode else { return (first.isASCII ? [wchar_t(first.value)] : question, 1) }
        let bufferColumns = max(1, TextWidth.of(cell.symbol))
        let columns = Int(wcwidth(wchar_t(first.value)))
        guard columns >= 1, columns <= bufferColumns else { return (question, 1) }
        var text = [wchar_t(first.value)]
        for scalar in scalars.dropFirst() where text.count < Int(CCHARW_MAX) - 1 {
            // Only real combining marks: curses refuses a second spacing character, and
            // variation selectors or joiners would make the terminal disagree about widths.
            let category = scalar.properties.generalCategory
            let isVariationSelector = scalar.properties.isVariationSelector
            if (category == .nonspacingMark || category == .enclosingMark) && !isVariationSelector
                && wcwidth(wchar_t(scalar.value)) == 0 {
                text.append(wchar_t(scalar.value))
            }
        }
        return (text, columns)
    }

    private func put(_ text: [wchar_t], x: Int, y: Int, style: Style) {
        var pair = colorPair(for: style)
        var character = cchar_t()
        let terminated = text + [0]
        _ = setcchar(&character, terminated, attributes(for: style.attributes), Int16(clamping: pair), &pair)
        // At the bottom-right corner this reports ERR (the cursor cannot advance) but the cell is drawn.
        _ = mvwadd_wch(window, Int32(y), Int32(x), &character)
    }

    private func attributes(for attributes: Style.Attributes) -> attr_t {
        var result = baton_a_normal()
        if attributes.contains(.bold) { result |= baton_a_bold() }
        if attributes.contains(.dim) { result |= baton_a_dim() }
        if attributes.contains(.underline) { result |= baton_a_underline() }
        if attributes.contains(.reverse) { result |= baton_a_reverse() }
        if attributes.contains(.italic) { result |= baton_a_italic() }
        if attributes.contains(.blink) { result |= baton_a_blink() }
        return result
    }

    private struct ColorPairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    private func colorPair(for style: Style) -> Int32 {
        guard colorCount > 0 else { return 0 }
        let key = ColorPairKey(
            foreground: colorNumber(style.foreground, foreground: true),
            background: colorNumber(style.background, foreground: false))
        if hasDefaultColors && key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        // alloc_pair recycles the oldest pair once the table is full; forget ours before that.
        if pairs.count >= pairLimit - 2 { pairs.removeAll() }
        let pair = alloc_pair(key.foreground, key.background)
        guard pair > 0 else { return 0 }
        pairs[key] = pair
        return pair
    }

    private func colorNumber(_ color: Color, foreground: Bool) -> Int32 {
        guard let index = color.paletteIndex(limit: min(colorCount, 256)) else {
            return hasDefaultColors ? -1 : (foreground ? 7 : 0)
        }
        if isDirectColor && index >= 8 { return Self.rgb(ofPaletteIndex: index) }
        return Int32(index)
    }

    /// The xterm palette colour `index` (8–255) as 0xRRGGBB, for direct-colour terminals.
    static func rgb(ofPaletteIndex index: Int) -> Int32 {
        let (r, g, b): (Int, Int, Int)
        switch index {
        case 0..<16:
            let base = [
                (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
                (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
                (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ]
            (r, g, b) = base[index]
        case 16..<232:
            let steps = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            (r, g, b) = (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
        default:
            let level = (min(index, 255) - 232) * 10 + 8
            (r, g, b) = (level, level, level)
        }
        return Int32(r << 16 | g << 8 | b)
    }

    // MARK: Input

    public func pendingEvents() -> [InputEvent] {
        guard !isShutDown, !isSuspended else { return [] }
        drainResizePipe()
        var events: [InputEvent] = []
        // Keys read since the last event of another kind, filtered together so that a
        // sequence's bytes are seen in order.
        var keys: [Key] = []
        func flushKeys() {
            events += sequences.filter(keys)
            keys.removeAll()
        }
        var value: wint_t = 0
        while events.count + keys.count < 4096 {
            let status = wget_wch(window, &value)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                let code = Int32(bitPattern: value)
                if code == KEY_RESIZE {
                    flushKeys()
                    height = Int(getmaxy(window))
                    width = Int(getmaxx(window))
                    shown = nil
                    if case .resize = events.last { events.removeLast() }
                    events.append(.resize(width: width, height: height))
                } else if code == KEY_MOUSE {
                    flushKeys()
                    events += queuedMouseEvents()
                } else if let key = Self.key(forKeyCode: code) {
                    keys.append(key)
                }
            } else if let key = Key(code: value) {
                keys.append(key)
            }
        }
        flushKeys()
        if !hungUp {
            var entry = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let gone = Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
            if poll(&entry, 1, 0) > 0 && entry.revents & gone != 0 {
                hungUp = true
                events.append(.hangup)
            }
        }
        return events
    }

    /// The key for a curses key code (KEY_UP, KEY_F(1), …); nil for keys the console ignores.
    static func key(forKeyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1, KEY_FIND, KEY_BEG: return .home
        case KEY_END, KEY_C1, KEY_SELECT, KEY_LL: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case baton_key_f(1)...baton_key_f(63): return .function(Int(code - baton_key_f(0)))
        default: return nil
        }
    }

    public func bell() {
        guard !isShutDown else { return }
        beep()
    }

    /// Leaves curses: shows the cursor, restores the terminal's modes and screen. Safe to call twice.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        unwatchResizes()
        reportMouse(false)
        bracketPastes(false)
        curs_set(1)
        endwin()
        TerminalRestorer.setScreenActive(false)
        if capturesStandardError { TerminalRestorer.releaseStandardError() }
    }

    // MARK: Handing the terminal over

    public func suspend() {
        guard !isShutDown, !isSuspended else { return }
        isSuspended = true
        // The other program gets a terminal that sends it no mouse reports and no paste
        // brackets it did not ask for.
        reportMouse(false)
        bracketPastes(false)
        curs_set(1)
        endwin()
        TerminalRestorer.setScreenActive(false)
        // The other program's complaints belong on the terminal, not in the hidden file.
        if capturesStandardError {
            TerminalRestorer.releaseStandardError()
            capturesStandardError = false
        }
    }

    public func resume() {
        guard !isShutDown, isSuspended else { return }
        isSuspended = false
        capturesStandardError = TerminalRestorer.captureStandardError()
        TerminalRestorer.setScreenActive(true)
        // The first refresh after endwin brings back the program's modes (curses' own rule),
        // those `passControlKeysThrough` saved included.
        wrefresh(window)
        curs_set(0)
        reportMouse(true)
        bracketPastes(true)
        // The window may have been resized while the other program had it.
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0,
           Int(size.ws_row) != height || Int(size.ws_col) != width {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        height = Int(getmaxy(window))
        width = Int(getmaxx(window))
        shown = nil
    }

    // MARK: Mouse

    /// Turns the terminal's mouse reporting on (when asked for at `init`) or off.
    private func reportMouse(_ on: Bool) {
        guard wantsMouse else { return }
        if on {
            // Presses and releases as they come: a click interval would hold each press back.
            mouseinterval(0)
            mousemask(baton_mouse_mask(), nil)
        } else {
            mousemask(0, nil)
        }
    }

    /// Asks the terminal to bracket what is pasted (DEC mode 2004), or to stop. Curses has no
    /// call for it; a terminal without the mode ignores the request, and its pastes arrive as
    /// typed keys, as before.
    private func bracketPastes(_ on: Bool) {
        let request = on ? "\u{1B}[?2004h" : "\u{1B}[?2004l"
        fflush(stdout)
        _ = request.utf8CString.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count - 1) }
    }

    /// Every mouse report curses has queued, oldest first. Reports that arrive together (a
    /// click's press and release, a fast wheel) come with one KEY_MOUSE, and getmouse hands
    /// them out newest first.
    private func queuedMouseEvents() -> [InputEvent] {
        var reports: [MEVENT] = []
        var report = MEVENT()
        while reports.count < 64, getmouse(&report) == OK { reports.append(report) }
        return reports.reversed().flatMap { Self.mouseEvents(for: $0.bstate, x: Int($0.x), y: Int($0.y)) }
    }

    /// The events a curses mouse report stands for: a press, a release or a turn of the wheel
    /// (buttons 4 and 5); a click that curses made of a press and a release is both.
    static func mouseEvents(for state: mmask_t, x: Int, y: Int) -> [InputEvent] {
        var modifiers: MouseEvent.Modifiers = []
        if state & baton_button_shift() != 0 { modifiers.insert(.shift) }
        if state & baton_button_ctrl() != 0 { modifiers.insert(.control) }
        if state & baton_button_alt() != 0 { modifiers.insert(.alt) }
        if state & baton_button_pressed(4) != 0 { return [.mouse(MouseEvent(.wheelUp, x: x, y: y, modifiers: modifiers))] }
        if state & baton_button_pressed(5) != 0 { return [.mouse(MouseEvent(.wheelDown, x: x, y: y, modifiers: modifiers))] }
        var events: [InputEvent] = []
        for button in 1...3 {
            let pressed = state & (baton_button_pressed(Int32(button)) | baton_button_clicked(Int32(button))) != 0
            let released = state & (baton_button_released(Int32(button)) | baton_button_clicked(Int32(button))) != 0
            if pressed { events.append(.mouse(MouseEvent(.press, button: button, x: x, y: y, modifiers: modifiers))) }
            if released { events.append(.mouse(MouseEvent(.release, button: button, x: x, y: y, modifiers: modifiers))) }
        }
        return events
    }

    // MARK: Terminal modes and resize signal

    /// Switches off the terminal's signal characters (Ctrl-C, Ctrl-Z, Ctrl-\), its flow control
    /// (Ctrl-S, Ctrl-Q) and literal-next (Ctrl-V), so they reach the console as keys, and makes
    /// that curses' program mode; endwin brings back the shell's settings.
    private static func passControlKeysThrough() {
        var mode = termios()
        guard tcgetattr(STDIN_FILENO, &mode) == 0 else { return }
        mode.c_lflag &= ~tcflag_t(ISIG | IEXTEN)
        mode.c_iflag &= ~tcflag_t(IXON)
        guard tcsetattr(STDIN_FILENO, TCSADRAIN, &mode) == 0 else { return }
        def_prog_mode()
    }

    /// Makes SIGWINCH wake `inputDescriptor`: a handler that runs curses' own SIGWINCH handler
    /// (which makes get_wch report KEY_RESIZE) and then writes to a pipe that sits, with stdin,
    /// in an epoll set. Without this, a poll on a thread other than the one that took the
    /// signal would sleep through the resize. Falls back to plain stdin if anything fails.
    private func watchResizes() {
        #if os(Linux)
        var ends: [Int32] = [-1, -1]
        guard baton_pipe_cloexec_nonblock(&ends) == 0 else { return }
        let epoll = baton_epoll_create()
        guard epoll >= 0,
              baton_epoll_watch_input(epoll, STDIN_FILENO) == 0,
              baton_epoll_watch_input(epoll, ends[0]) == 0
        else {
            for descriptor in [ends[0], ends[1], epoll] where descriptor >= 0 { close(descriptor) }
            return
        }
        epollDescriptor = epoll
        resizeReadDescriptor = ends[0]
        resizeWriteDescriptor = ends[1]
        resizeSignalRelay.install(writeDescriptor: ends[1])
        #endif
    }

    private func unwatchResizes() {
        #if os(Linux)
        if resizeWriteDescriptor >= 0 { resizeSignalRelay.uninstall() }
        #endif
    }

    private func drainResizePipe() {
        guard resizeReadDescriptor >= 0 else { return }
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { read(resizeReadDescriptor, $0.baseAddress, $0.count) }) > 0 {}
    }
}

#if os(Linux)
/// Forwards SIGWINCH to the handler that was installed before (curses') and then to a pipe.
private final class ResizeSignalRelay: Sendable {
    /// The pipe's write end, or -1 when not installed. Atomic because the handler reads it.
    let writeDescriptor = Atomic<Int32>(-1)
    /// The action replaced by ours. Written only in `install`, before our handler is set.
    nonisolated(unsafe) let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)

    init() { previous.initialize(to: sigaction()) }

    func install(writeDescriptor descriptor: Int32) {
        guard writeDescriptor.load(ordering: .sequentiallyConsistent) < 0 else { return }
        _ = sigaction(SIGWINCH, nil, previous)
        writeDescriptor.store(descriptor, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = relayResizeSignal
        action.sa_flags = SA_SIGINFO | SA_RESTART
        sigemptyset(&action.sa_mask)
        _ = sigaction(SIGWINCH, &action, nil)
    }

    func uninstall() {
        guard writeDescriptor.load(ordering: .sequentiallyConsistent) >= 0 else { return }
        _ = sigaction(SIGWINCH, previous, nil)
        writeDescriptor.store(-1, ordering: .sequentiallyConsistent)
    }
}

private let resizeSignalRelay = ResizeSignalRelay()

private func relayResizeSignal(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let savedErrno = errno
    let previous = resizeSignalRelay.previous.pointee
    if previous.sa_flags & SA_SIGINFO != 0 {
        previous.__sigaction_handler.sa_sigaction?(signal, info, context)
    } else if let handler = previous.__sigaction_handler.sa_handler,
              unsafeBitCast(handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
        handler(signal)
    }
    let descriptor = resizeSignalRelay.writeDescriptor.load(ordering: .sequentiallyConsistent)
    if descriptor >= 0 {
        var byte: UInt8 = 1
        _ = write(descriptor, &byte, 1)
    }
    errno = savedErrno
}
#endif
