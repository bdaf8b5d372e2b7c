import BatonTerminal

extension GraphLayout {
    /// The cell of the drawing shown at the top left of a pane's inner `area` for a scroll
    /// offset: the view draws from there, and a click is mapped back from there.
    public func origin(scroll: (x: Int, y: Int), area: Rect, compact: Bool) -> (x: Int, y: Int) {
        clampedScroll(scroll, viewport: (area.width, area.height), compact: compact)
    }

    /// The step (or display node) drawn at a screen cell of the pane's inner `area`, scrolled
    /// to `scroll`: the node whose glyph or label covers the cell; in compact mode, the step of
    /// the list row, wherever on the row.
    public func step(atX x: Int, y: Int, in area: Rect, scroll: (x: Int, y: Int), compact: Bool) -> Int? {
        guard area.contains(x: x, y: y) else { return nil }
        let origin = origin(scroll: scroll, area: area, compact: compact)
        return step(atLayoutX: origin.x + x - area.x, y: origin.y + y - area.y, compact: compact)
    }

    /// The step at a cell of the drawing itself (layout coordinates), or at a compact row.
    public func step(atLayoutX x: Int, y: Int, compact: Bool) -> Int? {
        if compact { return compactRows.indices.contains(y) ? compactRows[y] : nil }
        guard y >= 0, y < height, let column = columnX.lastIndex(where: { $0 <= x }) else { return nil }
        let slots = columnSlots[column]
        let index = firstSlot(atOrBelow: y, in: column)
        guard index < slots.count, slotRow[slots[index]] == y, isStep(slots[index]) else { return nil }
        let step = slots[index]
        return x < columnX[column] + nodeWidth(step) ? step : nil
    }
}
