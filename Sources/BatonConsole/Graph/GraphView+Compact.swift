import BatonEngine
import BatonTerminal

/// Compact mode: one row per step, layer by layer, with what each step needs.
///
///     1 ✔ plan
///     2 ✔ network        ← plan
///       ✔ database       ← plan
///       ▶ app            ← plan
///     3 · migrate        ← database
///
/// The gutter numbers each layer on its first row (steps of one layer can run together).
/// The selected row is drawn in the selection style; the labels of its needs and dependents
/// are highlighted like the edges of the layered graph.
extension GraphView {
    func renderCompact(into buffer: inout Buffer, area: Rect) {
        let offset = layout.origin(scroll: scroll, area: area, compact: true)
        let gutter = String(layout.columnCount).count + 1
        let widest = min(GraphLayout.maximumLabelWidth, layout.columnLabelWidth.max() ?? 1)
        let labelWidth = max(1, min(widest, (area.width - gutter - 2) / 2))
        let related = relatedSteps()
        for line in 0..<area.height {
            let row = offset.y + line
            guard row < layout.compactRows.count else { break }
            let step = layout.compactRows[row]
            let y = area.y + line
            let isSelected = step == selected
            let layer = layout.stepLayer[step]
            if row == 0 || layout.stepLayer[layout.compactRows[row - 1]] != layer {
                let number = String(layer + 1)
                buffer.write(number, x: area.x + gutter - 1 - number.count, y: y, style: theme.style(.muted), clip: area)
            }
            let state = step < states.count ? states[step] : .pending
            let x = area.x + gutter
            let label = Self.cut(labels?[step] ?? workflow.steps[step].id, to: labelWidth, unicode: unicode)
            let labelStyle = isSelected ? theme.style(.selection) : related.needs.contains(step) || related.dependents.contains(step) ? theme.style(.edgeHighlighted) : theme.style(.text)
            buffer.write(glyph(for: state), x: x, y: y, style: isSelected ? selectedGlyphStyle(state) : theme.style(for: state), clip: area)
            buffer.write(" " + TextWidth.pad(label, to: labelWidth) + " ", x: x + 1, y: y, style: labelStyle, clip: area)
            let needsX = x + 3 + labelWidth
            // A group's node is named by its label: its id is only sized for the widest badge.
            let needIDs = layout.needs[step].map { labels?[$0] ?? workflow.steps[$0].id }
            if !needIDs.isEmpty && needsX < area.maxX {
                let arrow = unicode ? "← " : "<- "
                let list = Self.fitList(needIDs, width: area.maxX - needsX - TextWidth.of(arrow), unicode: unicode)
                let style = isSelected ? theme.style(.selection) : related.dependents.contains(step) ? theme.style(.edgeHighlighted) : theme.style(.muted)
                buffer.write(arrow + list, x: needsX, y: y, style: style, clip: area)
            }
            if isSelected {
                buffer.setStyle(theme.style(.selection), to: Rect(x: x + 1, y: y, width: area.maxX - x - 1, height: 1))
            }
        }
        drawIndicators(
            above: offset.y, below: max(0, layout.compactRows.count - offset.y - area.height), left: 0, right: 0,
            bottomRow: area.maxY - 1, into: &buffer, area: area)
    }

    /// The selected step's needs and dependents.
    private func relatedSteps() -> (needs: Set<Int>, dependents: Set<Int>) {
        guard let selected, selected >= 0, selected < layout.stepCount else { return ([], []) }
        return (Set(layout.needs[selected]), Set(layout.dependents[selected]))
    }

    /// Ids joined by ", ", ending in "+n" for the ones that do not fit in `width` columns.
    static func fitList(_ ids: [String], width: Int, unicode: Bool) -> String {
        guard width > 0 else { return "" }
        let full = ids.joined(separator: ", ")
        if TextWidth.of(full) <= width { return full }
        var shown = ""
        var used = 0, count = 0
        for id in ids {
            let piece = (count == 0 ? "" : ", ") + id
            let rest = ids.count - count - 1
            let pieceWidth = TextWidth.of(piece)
            if used + pieceWidth + (rest > 0 ? 3 + String(rest).count : 0) > width { break }
            shown += piece
            used += pieceWidth
            count += 1
        }
        if count > 0 { return shown + ", +\(ids.count - count)" }
        // Not even the first id fits whole: cut it, keeping the count of the others.
        let rest = ids.count > 1 ? ", +\(ids.count - 1)" : ""
        let room = width - TextWidth.of(rest)
        if room >= 3 { return cut(ids[0], to: room, unicode: unicode) + rest }
        let all = "+\(ids.count)"
        return TextWidth.of(all) <= width ? all : cut(full, to: width, unicode: unicode)
    }
}
