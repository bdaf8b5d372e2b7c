import BatonTerminal

extension TextWrap {
    /// Wraps styled lines to the area's width and draws them from the first row `scroll`
    /// shows on; the details and notes panes share it.
    public static func render(_ lines: [(String, Style)], scroll: ListScroll, into buffer: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        var rows: [(String, Style)] = []
        for (text, style) in lines {
            for piece in wrap(text, width: area.width) { rows.append((piece, style)) }
        }
        let top = scroll.first(count: rows.count, visible: area.height)
        for (offset, row) in rows.dropFirst(top).prefix(area.height).enumerated() {
            buffer.write(row.0, x: area.x, y: area.y + offset, style: row.1, clip: area)
        }
    }

    /// How many rows styled lines take wrapped to `width`: what the details and notes panes
    /// scroll through.
    public static func rowCount(_ lines: [(String, Style)], width: Int) -> Int {
        lines.reduce(0) { $0 + wrap($1.0, width: width).count }
    }
}
