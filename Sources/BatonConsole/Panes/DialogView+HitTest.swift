import BatonTerminal

extension DialogView {
    /// The text field drawn at a screen cell, when the dialog is drawn over `area`: a position
    /// in `dialog.fields`, or `dialog.fields.count` for the comment; nil anywhere else.
    ///
    /// The fields take the rows above the comment, which is the box's last inner row (the
    /// problem, when there is one, sits between them).
    public func field(atX x: Int, y: Int, in area: Rect) -> Int? {
        guard hasInput, let box = box(in: area) else { return nil }
        let inner = box.inset(by: 1)
        guard inner.height >= inputRows, inner.contains(x: x, y: y) else { return nil }
        if y == inner.maxY - 1 { return dialog.fields.count }
        let index = y - (inner.maxY - inputRows + 1)
        return dialog.fields.indices.contains(index) ? index : nil
    }
}
