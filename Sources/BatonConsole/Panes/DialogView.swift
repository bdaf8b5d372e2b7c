import BatonTerminal

/// A modal dialog box drawn over the panes.
public struct DialogView: Widget {
    public var dialog: Dialog
    public var theme: Theme
    public var unicode: Bool
    /// The console's clock, for a gate's countdown.
    public var now: Double?

    public init(dialog: Dialog, theme: Theme, unicode: Bool, now: Double? = nil) {
        self.dialog = dialog
        self.theme = theme
        self.unicode = unicode
        self.now = now
    }

    /// The body as drawn: a gate's countdown first, then the dialog's lines.
    private var bodyLines: [String] {
        guard let deadline = dialog.deadline, let now else { return dialog.lines }
        let left = Format.duration(max(0, deadline - now))
        let then = dialog.onTimeout.map { "; then \($0)" } ?? ""
        return ["\(unicode ? "⏲" : "T") \(left) left to decide (until \(Format.clock(deadline)))\(then)"] + dialog.lines
    }

    /// How many of a help list's `rows` show on a screen `height` rows high: the box keeps a
    /// row above and below it, and its frame takes two more.
    public static func visibleHelpRows(rows: Int, screenHeight height: Int) -> Int {
        max(1, min(height - 4, rows))
    }

    /// The furthest a help list of `rows` scrolls on a screen `height` rows high: its last
    /// row at the bottom of the box, never past it.
    public static func helpScrollLimit(rows: Int, screenHeight height: Int) -> Int {
        max(0, rows - visibleHelpRows(rows: rows, screenHeight: height))
    }

    /// How many rows a help dialog's lines take on a screen `width` columns wide, once wrapped:
    /// what its scrolling counts.
    public static func helpRowCount(_ dialog: Dialog, screenWidth width: Int) -> Int {
        let body = dialog.lines
        return wrapped(body, width: textWidth(title: dialog.title, body: body, areaWidth: width)).count
    }

    /// The columns of text in the box drawn for `body` in an area `areaWidth` wide: as wide as
    /// the longest line, or the area less a column either side and the frame's padding.
    static func textWidth(title: String, body: [String], areaWidth: Int) -> Int {
        let contentWidth = max(TextWidth.of(title) + 4, body.map { TextWidth.of($0) }.max() ?? 0)
        return min(areaWidth - 2, contentWidth + 4) - 4
    }

    /// `lines` as rows at most `width` columns wide. A longer line breaks at spaces, and its
    /// further rows start under its text: under the description of a key's line
    /// (`  Up/k       Move the selection up`), two columns in from an indented item
    /// (`  ↶ db`), and at the margin for a sentence that starts there.
    static func wrapped(_ lines: [String], width: Int) -> [String] {
        guard width > 0 else { return [] }
        var rows: [String] = []
        rows.reserveCapacity(lines.count)
        for line in lines {
            guard TextWidth.of(line) > width else {
                rows.append(line)
                continue
            }
            let indent = min(hangingIndent(of: line), width / 2)
            let pieces = TextWrap.wrap(line, width: width)
            rows.append(pieces[0])
            let rest = line.dropFirst(pieces[0].count).drop { $0 == " " }
            let pad = String(repeating: " ", count: indent)
            rows += TextWrap.wrap(String(rest), width: width - indent).map { pad + $0 }
        }
        return rows
    }

    /// Where a line's further rows start: when a first word is followed by two or more spaces
    /// (a key and its description), after those; otherwise two columns past the leading
    /// spaces of an indented line, and at the margin for a line that has none.
    private static func hangingIndent(of line: String) -> Int {
        let characters = Array(line)
        var index = 0
        while index < characters.count, characters[index] == " " { index += 1 }
        let leading = index
        while index < characters.count, characters[index] != " " { index += 1 }
        var gap = index
        while gap < characters.count, characters[gap] == " " { gap += 1 }
        if gap - index >= 2, gap < characters.count {
            return TextWidth.of(String(characters[..<gap]))
        }
        return leading == 0 ? 0 : leading + 2
    }

    /// Whether the dialog has a text field: the comment of a decision or of a confirmed command.
    var hasInput: Bool {
        switch dialog.kind {
        case .decision, .confirm: return true
        case .quit, .help: return false
        }
    }

    /// The rows under the body: a blank, each value's field, the problem if any, the comment.
    var inputRows: Int {
        hasInput ? 2 + dialog.fields.count + (dialog.problem == nil ? 0 : 1) : 0
    }

    /// The box the dialog is drawn in, centred in `area`; nil when `area` has no room for it.
    public func box(in area: Rect) -> Rect? {
        let text = Self.textWidth(title: dialog.title, body: bodyLines, areaWidth: area.width)
        let width = text + 4
        let height = min(area.height - 2, Self.wrapped(bodyLines, width: text).count + inputRows + 2)
        guard width >= 10, height >= 3 else { return nil }
        return area.centered(width: width, height: height)
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard let box = box(in: area) else { return }
        let inner = PaneFrame.draw(into: &buffer, rect: box, title: dialog.title, focused: true, theme: theme, unicode: unicode, fill: theme.style(.dialog))
        let border = theme.style(.dialogBorder)
        buffer.applyStyle(Style(background: border.background), to: Rect(x: box.x, y: box.y, width: box.width, height: 1))
        let textArea = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        var rows = Self.wrapped(bodyLines, width: textArea.width)
        if case .help = dialog.kind { rows = Array(rows.dropFirst(dialog.scroll)) }
        let visibleRows = textArea.height - inputRows
        if case .help = dialog.kind {} else if rows.count > visibleRows, visibleRows >= 3 {
            // Too long to show whole (a rollback of many dependents): keep the beginning and
            // the last line, which says which keys act, and count what is left out.
            let hidden = rows.count - visibleRows + 1
            rows = Array(rows.prefix(visibleRows - 2)) + ["… and \(hidden) more", rows[rows.count - 1]]
        }
        for (offset, line) in rows.prefix(max(0, visibleRows)).enumerated() {
            buffer.write(TextWidth.truncate(line, to: textArea.width), x: textArea.x, y: textArea.y + offset, style: theme.style(.dialog), clip: textArea)
        }
        if case .help = dialog.kind, rows.count > visibleRows || dialog.scroll > 0 {
            let more = max(0, rows.count - visibleRows)
            let note = more > 0 ? " \(more) more: j/k or PgDn scroll · any other key closes " : " j/k scroll · any other key closes "
            let text = TextWidth.truncate(note, to: max(0, box.width - 4))
            buffer.write(text, x: box.maxX - 2 - TextWidth.of(text), y: box.maxY - 1, style: theme.style(.dialogBorder))
        }
        if hasInput && textArea.height >= inputRows {
            var y = textArea.maxY - inputRows + 1
            for (index, field) in dialog.fields.enumerated() {
                drawField(label: field.label + ": ", editor: field.editor, focused: dialog.focus == index, y: y, in: textArea, buffer: &buffer)
                y += 1
            }
            if let problem = dialog.problem {
                buffer.write(TextWidth.truncate(problem, to: textArea.width), x: textArea.x, y: y, style: theme.style(.dialog).with(.bold), clip: textArea)
                y += 1
            }
            drawField(label: "comment: ", editor: dialog.comment, focused: dialog.isCommentFocused, y: y, in: textArea, buffer: &buffer)
        }
    }

    /// One text field: its label, the stretch of what is typed around the cursor, and the
    /// cursor as a reverse-video cell when it has the focus.
    private func drawField(label: String, editor: LineEditor, focused: Bool, y: Int, in textArea: Rect, buffer: inout Buffer) {
        let x = buffer.write(label, x: textArea.x, y: y, style: theme.style(.dialog).with(.bold), clip: textArea)
        let field = Rect(x: x, y: y, width: max(0, textArea.maxX - x), height: 1)
        let style = theme.style(.dialog).with(.underline)
        buffer.fill(field, with: Cell(" ", style: style))
        editor.draw(into: &buffer, x: field.x, y: y, width: field.width, style: style, showsCursor: focused)
    }
}
