import BatonTerminal

/// Draws a pane's border and title, and gives back the area inside it.
public enum PaneFrame {
    /// The rectangle inside a pane's frame: what `draw` gives back, and where a click in the
    /// pane's content lands.
    public static func inner(of rect: Rect) -> Rect {
        rect.width >= 2 && rect.height >= 2 ? rect.inset(by: 1) : .zero
    }

    /// The rows a list shows in an inner area of `height` rows, below its heading row (the
    /// table's column titles, the timeline's axis, the audit's titles).
    public static func listRows(inHeight height: Int) -> Int { max(0, height - 1) }

    /// Draws the frame and returns the inner rectangle.
    @discardableResult
    public static func draw(into buffer: inout Buffer, rect: Rect, title: String, focused: Bool, theme: Theme, unicode: Bool, fill: Style? = nil) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return .zero }
        let style = focused ? theme.style(.borderFocused) : theme.style(.border)
        if let fill { buffer.fill(rect, with: Cell(" ", style: fill)) }
        let glyphs = unicode ? ["┌", "┐", "└", "┘", "─", "│"] : ["+", "+", "+", "+", "-", "|"]
        let horizontal = String(repeating: glyphs[4], count: rect.width - 2)
        buffer.write(glyphs[0] + horizontal + glyphs[1], x: rect.x, y: rect.y, style: style)
        buffer.write(glyphs[2] + horizontal + glyphs[3], x: rect.x, y: rect.maxY - 1, style: style)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.write(glyphs[5], x: rect.x, y: row, style: style)
            buffer.write(glyphs[5], x: rect.maxX - 1, y: row, style: style)
        }
        if rect.width > 6 {
            let label = TextWidth.truncate(" \(title) ", to: rect.width - 4)
            buffer.write(label, x: rect.x + 2, y: rect.y, style: focused ? theme.style(.borderFocused).with(.bold) : theme.style(.title))
        }
        return inner(of: rect)
    }
}
