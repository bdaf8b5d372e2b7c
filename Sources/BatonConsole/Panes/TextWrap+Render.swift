import BatonTerminal

extension TextWrap {
    /// Wraps styled lines to the area's width and draws them from row `scroll` on, clamped so
    /// the last row can reach the bottom; the details and notes panes share it.
    public static func render(_ lines: [(String, Style)], scroll: Int, into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        var rows: [(String, Style)] = []
        for (text, style) in lines {
            for piece in wrap(text, width: area.width) { rows.append((piece, style)) }
        }
        let top = min(scroll, max(0, rows.count - area.height))
        for (offset, row) in rows.dropFirst(top).prefix(area.height).enumerated() {
            buffer.write(row.0, x: area.x, y: area.y + offset, style: row.1, clip: area)
        }
    }
}
