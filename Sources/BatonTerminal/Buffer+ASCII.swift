extension Buffer {
    /// Stand-ins for the punctuation the console draws, for terminals without UTF-8.
    static let asciiStandIns: [String: String] = [
        "—": "-", "–": "-", "…": "~", "›": ">", "‹": "<", "→": "->", "←": "<-", "↶": "<", "↺": "u", "⚠": "!",
        "▏": "|", "·": ".", "▶": ">", "◀": "<", "▲": "^", "▼": "v", "×": "x", "│": "|", "─": "-", "»": ">",
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "‖": "|",
    ]

    /// The buffer with every non-ASCII symbol replaced by an ASCII stand-in (or `?`), so a
    /// terminal whose locale is not UTF-8 shows nothing garbled. Wide characters become two cells.
    public func asciiOnly() -> Buffer {
        var copy = self
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                if cell.isContinuation {
                    copy[x, y] = Cell("?", style: cell.style)
                    continue
                }
                guard !cell.symbol.unicodeScalars.allSatisfy({ $0.isASCII }) else { continue }
                let replacement = Self.asciiStandIns[cell.symbol].map { String($0.prefix(1)) } ?? "?"
                copy[x, y] = Cell(replacement, style: cell.style)
            }
        }
        return copy
    }
}
