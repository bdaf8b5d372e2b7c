import BatonTerminal

/// The footer: key hints from the keymap, and above it the status line.
public struct FooterView: Widget {
    public var theme: Theme
    /// The search being typed, while the prompt is open; it takes the footer's row.
    public var searchPrompt: LineEditor?
    /// Show the replay's keys instead of the operator's.
    public var replay: Bool
    /// The operator's hints to show (`ActionOffers.footerHints`); nil shows every footer key.
    public var offered: [FooterHint]?
    /// Where the hints come from when `offered` is nil or in a replay.
    public var keymap: Keymap

    public init(theme: Theme, searchPrompt: LineEditor?, replay: Bool = false, offered: [FooterHint]? = nil, keymap: Keymap = .standard) {
        self.theme = theme
        self.searchPrompt = searchPrompt
        self.replay = replay
        self.offered = offered
        self.keymap = keymap
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        if let searchPrompt {
            let x = buffer.write("/", x: area.x, y: area.y, style: theme.style(.keyHint), clip: area)
            // The hint keeps its room while the query still has 16 columns beside it.
            let hint = "  Enter search · Esc cancel"
            let room = area.maxX - x
            let width = room - TextWidth.of(hint) >= 16 ? room - TextWidth.of(hint) : room
            let window = searchPrompt.draw(into: &buffer, x: x, y: area.y, width: width, style: theme.style(.text), showsCursor: true)
            let end = x + max(TextWidth.of(window.text), window.cursorColumn + window.cursorWidth)
            buffer.write(hint, x: end, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        let hints = replay ? keymap.replayFooterHints : offered ?? keymap.footerHints
        for (hint, rect) in Self.placements(of: hints, in: area) {
            let x = buffer.write(hint.keys, x: rect.x, y: rect.y, style: theme.style(.keyHint), clip: area) + 1
            buffer.write(hint.label, x: x, y: rect.y, style: theme.style(.muted), clip: area)
        }
    }

    /// Where each hint that fits is drawn in a footer row, `keys label` and the two blanks
    /// after it: the view draws there, and a click there presses the hint's key. Help and quit
    /// are always shown; the other hints fill the room before them, in order.
    public static func placements(of hints: [FooterHint], in area: Rect) -> [(hint: FooterHint, rect: Rect)] {
        guard area.width > 0, area.height > 0 else { return [] }
        func width(_ hint: FooterHint) -> Int { TextWidth.of(hint.keys) + TextWidth.of(hint.label) + 3 }
        func isKept(_ hint: FooterHint) -> Bool { hint.keys == "?" || hint.keys == "q" }
        let kept = hints.filter(isKept)
        let keptWidth = kept.map(width).reduce(0, +)
        var shown: [FooterHint] = []
        var used = 0
        for hint in hints where !isKept(hint) {
            if area.x + used + width(hint) + keptWidth > area.maxX { break }
            shown.append(hint)
            used += width(hint)
        }
        var placed: [(hint: FooterHint, rect: Rect)] = []
        var x = area.x
        for hint in shown + kept {
            if x + width(hint) > area.maxX { break }
            placed.append((hint, Rect(x: x, y: area.y, width: width(hint), height: 1)))
            x += width(hint)
        }
        return placed
    }

    /// The hint drawn at a cell of the footer row, if any.
    public static func hint(atX x: Int, y: Int, of hints: [FooterHint], in area: Rect) -> FooterHint? {
        placements(of: hints, in: area).first { $0.rect.contains(x: x, y: y) }?.hint
    }
}

/// The status line: the last command's result or refusal, or a hint.
public struct StatusView: Widget {
    public var status: StatusLine?
    public var theme: Theme

    public init(status: StatusLine?, theme: Theme) {
        self.status = status
        self.theme = theme
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard let status, area.width > 0 else { return }
        let style = status.isError ? theme.style(.statusError) : theme.style(.statusInfo)
        // A refusal can quote a reason, which can quote a step's output: escape it.
        let text = VisibleText.escape(status.text, limit: max(area.width, 1) * 4)
        buffer.write(TextWidth.truncate(text, to: area.width), x: area.x, y: area.y, style: style, clip: area)
    }
}
