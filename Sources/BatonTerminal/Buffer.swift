/// A grid of cells that views draw into; the backend shows it on the terminal.
///
/// Writing never goes outside the buffer, never splits a wide character, and replaces
/// control characters and bidi controls with a visible `?`, so nothing written here can move
/// the cursor, change the terminal's modes or reorder what is drawn after it. (This is the
/// last line of defence; the console escapes untrusted text visibly before it gets here.)
public struct Buffer: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle at the origin.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from column `x` of row `y`, clipped to `clip` (default: the whole buffer).
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.maxY else { return x + TextWidth.of(text) }
        var column = x
        for character in text {
            var symbol = String(character)
            var columns = TextWidth.of(character)
            if character.unicodeScalars.contains(where: Self.isUnsafe) {
                symbol = "?"
                columns = 1
            }
            if columns == 0 {
                // A lone combining mark: attach it to the previous cell when there is one.
                if column - 1 >= bounds.x && column - 1 < bounds.maxX {
                    var previous = self[column - 1, y]
                    if !previous.isContinuation { previous.symbol += symbol }
                    self[column - 1, y] = previous
                }
                continue
            }
            if column >= bounds.maxX { break }
            if column >= bounds.x {
                if columns == 2 && column + 1 >= bounds.maxX {
                    place(Cell(" ", style: style), x: column, y: y)
                } else {
                    place(Cell(symbol, style: style), x: column, y: y)
                    if columns == 2 { place(Cell("", style: style, isContinuation: true), x: column + 1, y: y) }
                }
            } else if columns == 2 && column + 1 == bounds.x {
                place(Cell(" ", style: style), x: column + 1, y: y)
            }
            column += columns
        }
        return column
    }

    /// Whether a scalar must never reach the terminal: C0 and C1 controls, DEL, and the
    /// bidi embedding, override, isolate and mark characters.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Puts one cell, repairing any wide character it cuts in half.
    private mutating func place(_ cell: Cell, x: Int, y: Int) {
        let old = self[x, y]
        if old.isContinuation && x > 0 {
            var lead = self[x - 1, y]
            lead.symbol = " "
            self[x - 1, y] = lead
        }
        if !old.isContinuation && TextWidth.of(old.symbol) == 2 && x + 1 < width && !cell.isContinuation {
            var tail = self[x + 1, y]
            if tail.isContinuation {
                tail.symbol = " "
                tail.isContinuation = false
                self[x + 1, y] = tail
            }
        }
        self[x, y] = cell
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        for row in target.y..<target.maxY {
            for column in target.x..<target.maxX { self[column, row] = cell }
        }
    }

    /// Applies `style` over the existing styles of a rectangle (colours replaced, attributes added).
    public mutating func applyStyle(_ style: Style, to rect: Rect) {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        for row in target.y..<target.maxY {
            for column in target.x..<target.maxX {
                var cell = self[column, row]
                cell.style = cell.style.patched(with: style)
                self[column, row] = cell
            }
        }
    }

    /// Replaces the style of a rectangle entirely.
    public mutating func setStyle(_ style: Style, to rect: Rect) {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        for row in target.y..<target.maxY {
            for column in target.x..<target.maxX { self[column, row].style = style }
        }
    }

    /// The text of one row, one symbol per column (a wide character once), trailing spaces kept.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var text = ""
        for x in 0..<width {
            let cell = cells[y * width + x]
            if !cell.isContinuation { text += cell.symbol }
        }
        return text
    }

    /// Every row's text, with trailing spaces removed: what a person would read.
    public var lines: [String] {
        (0..<height).map { row in
            var text = rowText(row)
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
    }

    /// The cells that differ from `previous`, row by row; everything when the sizes differ.
    public func changes(since previous: Buffer?) -> [(x: Int, y: Int, cell: Cell)] {
        var result: [(x: Int, y: Int, cell: Cell)] = []
        let full = previous == nil || previous?.width != width || previous?.height != height
        for y in 0..<height {
            for x in 0..<width {
                let cell = cells[y * width + x]
                if full || previous!.cells[y * width + x] != cell { result.append((x, y, cell)) }
            }
        }
        return result
    }
}
