import BatonTerminal

/// Shown instead of the panes when the terminal is smaller than the console needs.
public struct TooSmallView: Widget {
    public var theme: Theme
    /// The smallest size that is not too small: the console's, or `baton top`'s.
    public var minimumWidth: Int
    public var minimumHeight: Int

    public init(theme: Theme, minimumWidth: Int = ConsoleLayout.minimumWidth, minimumHeight: Int = ConsoleLayout.minimumHeight) {
        self.theme = theme
        self.minimumWidth = minimumWidth
        self.minimumHeight = minimumHeight
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let need = "need \(minimumWidth)×\(minimumHeight)"
        let whole = "terminal too small (\(need))"
        // Narrower than the sentence, what it needs goes on a line of its own rather than being cut.
        let opening = TextWidth.of(whole) <= area.width ? [whole] : ["terminal too small", need]
        let lines = opening + ["now \(area.width)×\(area.height)", "q quits"]
        let top = max(0, (area.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < area.height {
            let text = TextWidth.truncate(line, to: area.width)
            let x = area.x + max(0, (area.width - TextWidth.of(text)) / 2)
            buffer.write(text, x: x, y: area.y + top + offset, style: offset == 0 ? theme.style(.statusError) : theme.style(.muted), clip: area)
        }
    }
}
