import BatonTerminal

/// The edges of the visible window, as connection bits per cell, turned into box-drawing
/// characters once everything is drawn, so that crossing and joining lines get the right
/// junction. Its size is the window's, so drawing costs what the window shows.
struct EdgeCanvas {
    static let up: UInt16 = 1
    static let down: UInt16 = 2
    static let left: UInt16 = 4
    static let right: UInt16 = 8
    /// Inside a track where its own net has no branch: a horizontal run here only crosses.
    static let pass: UInt16 = 16
    static let arrow: UInt16 = 32
    static let litVertical: UInt16 = 64
    static let litHorizontal: UInt16 = 128

    /// The window, in layout coordinates.
    let originX: Int
    let originY: Int
    let width: Int
    let height: Int
    private(set) var cells: [UInt16]

    init(originX: Int, originY: Int, width: Int, height: Int) {
        self.originX = originX
        self.originY = originY
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: 0, count: self.width * self.height)
    }

    func containsRow(_ y: Int) -> Bool { y >= originY && y < originY + height }

    /// Whether rows `top...bottom` meet the window.
    func overlapsRows(_ top: Int, _ bottom: Int) -> Bool { bottom >= originY && top < originY + height }

    /// A horizontal run from `x0` to `x1` on row `y`; `openLeft`/`openRight` continue it past its ends.
    mutating func horizontal(y: Int, from x0: Int, to x1: Int, openLeft: Bool = false, openRight: Bool = false) {
        guard containsRow(y), x0 <= x1 else { return }
        let row = (y - originY) * width
        let start = max(x0, originX), end = min(x1, originX + width - 1)
        guard start <= end else { return }
        for x in start...end {
            var bits: UInt16 = 0
            if x > x0 || openLeft { bits |= Self.left }
            if x < x1 || openRight { bits |= Self.right }
            cells[row + x - originX] |= bits
        }
    }

    /// A vertical run (a track) from `y0` to `y1`; its inner cells are marked as passing until
    /// `branch(x:y:)` says the net joins there.
    mutating func vertical(x: Int, from y0: Int, to y1: Int) {
        guard x >= originX, x < originX + width, y0 <= y1 else { return }
        let start = max(y0, originY), end = min(y1, originY + height - 1)
        guard start <= end else { return }
        for y in start...end {
            var bits: UInt16 = 0
            if y > y0 { bits |= Self.up }
            if y < y1 { bits |= Self.down | (y > y0 ? Self.pass : 0) }
            cells[(y - originY) * width + x - originX] |= bits
        }
    }

    /// The track at (x, y) has a branch of its own net here: a junction, not a crossing.
    mutating func branch(x: Int, y: Int) {
        guard let index = index(x, y) else { return }
        cells[index] &= ~Self.pass
    }

    mutating func arrow(x: Int, y: Int) {
        guard let index = index(x, y) else { return }
        cells[index] |= Self.arrow
    }

    /// Highlights the cells of a segment.
    mutating func light(_ segment: GraphSegment) {
        let bit = segment.isHorizontal ? Self.litHorizontal : Self.litVertical
        if segment.isHorizontal {
            guard containsRow(segment.y0) else { return }
            let start = max(segment.x0, originX), end = min(segment.x1, originX + width - 1)
            guard start <= end else { return }
            let row = (segment.y0 - originY) * width - originX
            for x in start...end { cells[row + x] |= bit }
        } else {
            guard segment.x0 >= originX, segment.x0 < originX + width else { return }
            let start = max(segment.y0, originY), end = min(segment.y1, originY + height - 1)
            guard start <= end else { return }
            for y in start...end { cells[(y - originY) * width + segment.x0 - originX] |= bit }
        }
    }

    /// Gives every lit cell the lines `own` has there instead of all the lines drawn: `own`
    /// holds the selection's nets alone, over the same window, so a lit cell never shows a
    /// junction with, or a run into, an edge that is not the selection's.
    mutating func showOnlyOwnLinesWhereLit(_ own: EdgeCanvas) {
        let lit = Self.litHorizontal | Self.litVertical
        for index in cells.indices where cells[index] & lit != 0 {
            cells[index] = own.cells[index] | (cells[index] & lit)
        }
    }

    private func index(_ x: Int, _ y: Int) -> Int? {
        guard x >= originX, x < originX + width, containsRow(y) else { return nil }
        return (y - originY) * width + x - originX
    }

    /// Writes every drawn cell into `buffer`, the window's top left at `area`'s.
    func draw(into buffer: inout Buffer, area: Rect, edge: Style, highlighted: Style, unicode: Bool) {
        for row in 0..<height {
            for column in 0..<width {
                let bits = cells[row * width + column]
                guard bits & 0x2F != 0 else { continue }
                let symbol: String
                let lit: Bool
                if bits & Self.arrow != 0 {
                    symbol = unicode ? "›" : ">"
                    lit = bits & (Self.litHorizontal | Self.litVertical) != 0
                } else if bits & Self.pass != 0 {
                    // A crossing: the track stays unbroken and the horizontal run hops over it.
                    symbol = unicode ? "│" : "|"
                    lit = bits & Self.litVertical != 0
                } else {
                    symbol = Self.symbol(bits & 0xF, unicode: unicode)
                    lit = bits & (Self.litHorizontal | Self.litVertical) != 0
                }
                buffer[area.x + column, area.y + row] = Cell(symbol, style: lit ? highlighted : edge)
            }
        }
    }

    /// The box-drawing character joining the given directions.
    static func symbol(_ bits: UInt16, unicode: Bool) -> String {
        let vertical = bits & (up | down), horizontal = bits & (left | right)
        if !unicode {
            if horizontal == 0 { return "|" }
            if vertical == 0 { return "-" }
            return "+"
        }
        switch bits {
        case up | down, up, down: return "│"
        case left | right, left, right: return "─"
        case down | right: return "┌"
        case down | left: return "┐"
        case up | right: return "└"
        case up | left: return "┘"
        case up | down | right: return "├"
        case up | down | left: return "┤"
        case left | right | down: return "┬"
        case left | right | up: return "┴"
        default: return "┼"
        }
    }
}
