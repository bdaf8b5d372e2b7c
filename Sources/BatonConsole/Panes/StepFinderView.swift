import BatonEngine
import BatonTerminal

/// The step finder, drawn over the log pane: the query, then the steps the table shows, the
/// best match first, each with its state, its id (the matched characters highlighted), its
/// host and its name; the chosen one is selected. Nothing matching, it says why and how
/// the tokens work. `renderKeys` puts the finder's keys on the footer's row.
public struct StepFinderView: Widget {
    public var state: AppState
    public var theme: Theme
    public var unicode: Bool

    public init(state: AppState, theme: Theme, unicode: Bool) {
        self.state = state
        self.theme = theme
        self.unicode = unicode
    }

    /// The fewest columns and rows the box is drawn in: its borders and the query.
    static let minimumSize = (width: 12, height: 3)

    /// Whether the box fits in `area`; when it does not, the footer's row shows the query.
    public static func fits(_ area: Rect) -> Bool {
        area.width >= minimumSize.width && area.height >= minimumSize.height
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard let finder = state.finder, Self.fits(area) else { return }
        let matches = state.finderMatches
        let inner = PaneFrame.draw(into: &buffer, rect: area, title: title(matches: matches.count), focused: true,
                                   theme: theme, unicode: unicode, fill: theme.style(.text))
        let clip = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard clip.width > 0, clip.height > 0 else { return }
        drawQuery(finder.editor, into: &buffer, clip: clip)
        let list = Rect(x: clip.x, y: clip.y + 1, width: clip.width, height: clip.height - 1)
        if list.height > 0 {
            if matches.isEmpty {
                drawHints(into: &buffer, clip: list)
            } else {
                drawMatches(matches, chosen: finder.chosen, into: &buffer, clip: list)
            }
        }
        let keys = " \(unicode ? "↑↓" : "Up/Down") choose · Enter jump · Esc back "
        if TextWidth.of(keys) <= area.width - 4 {
            buffer.write(keys, x: area.maxX - 2 - TextWidth.of(keys), y: area.maxY - 1, style: theme.style(.muted))
        }
    }

    /// The finder's keys on the footer's row, in place of the console's; when the box has no
    /// room (a terminal too small for it), the query too.
    public func renderKeys(into buffer: inout Buffer, area: Rect, boxShown: Bool) {
        guard let finder = state.finder, area.width > 0, area.height > 0 else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, with: Cell(" ", style: theme.style(.text)))
        var x = area.x
        if !boxShown {
            x = drawQuery(finder.editor, into: &buffer, clip: row) + 2
        }
        let hints: [(String, String)] = [
            (unicode ? "↑↓" : "Up/Down", "choose"), ("Enter", "jump"), ("Esc", "back"),
            ("state:failed", "by state"), ("host:web1", "by host"),
        ]
        for (keys, label) in hints {
            if x + TextWidth.of(keys) + TextWidth.of(label) + 1 > row.maxX { break }
            x = buffer.write(keys, x: x, y: row.y, style: theme.style(.keyHint), clip: row) + 1
            x = buffer.write(label, x: x, y: row.y, style: theme.style(.muted), clip: row) + 2
        }
    }

    /// "Find a step — 12 of 10,000", or the count of every step while nothing narrows them.
    private func title(matches: Int) -> String {
        let total = state.workflow.steps.count
        let all = "\(Format.count(total)) step\(total == 1 ? "" : "s")"
        return "Find a step — " + (state.isTableFiltered ? "\(Format.count(matches)) of \(all)" : all)
    }

    /// The prompt and the query as a text field, its cursor shown. Returns the column after
    /// what it drew.
    @discardableResult
    private func drawQuery(_ editor: LineEditor, into buffer: inout Buffer, clip: Rect) -> Int {
        let x = buffer.write(": ", x: clip.x, y: clip.y, style: theme.style(.keyHint), clip: clip)
        let room = max(0, clip.maxX - x)
        let window = editor.draw(into: &buffer, x: x, y: clip.y, width: room, style: theme.style(.text).with(.bold), showsCursor: true)
        return min(clip.maxX, x + TextWidth.of(window.text) + 1)
    }

    /// The matches in view: the window that holds the chosen one.
    private func drawMatches(_ matches: [Int], chosen: Int?, into buffer: inout Buffer, clip: Rect) {
        let position = chosen.flatMap { matches.firstIndex(of: $0) }
        let top = position.map { max(0, $0 - clip.height + 1) } ?? 0
        let shown = matches.dropFirst(top).prefix(clip.height)
        let words = state.tableNarrowing?.parsed.words ?? []
        let idWidth = min(max(4, shown.map { TextWidth.of(state.workflow.steps[$0].id) }.max() ?? 0), max(4, clip.width * 2 / 3))
        for (offset, index) in shown.enumerated() {
            let y = clip.y + offset
            let step = state.workflow.steps[index]
            let stepState = state.stepState(index)
            var x = buffer.write(theme.glyph(for: stepState), x: clip.x, y: y, style: theme.style(for: stepState), clip: clip) + 1
            drawHighlighted(step.id, words: words, x: x, y: y, width: idWidth, style: theme.style(.text), into: &buffer, clip: clip)
            x += idWidth + 2
            var extras: [String] = []
            if let host = step.host { extras.append("@" + host) }
            if let name = step.name, name != step.id { extras.append(name) }
            if stepState != .pending { extras.append(stepState.rawValue) }
            for extra in extras where x < clip.maxX {
                let width = min(TextWidth.of(extra), clip.maxX - x)
                drawHighlighted(extra, words: words, x: x, y: y, width: width, style: theme.style(.muted), into: &buffer, clip: clip)
                x += width + 2
            }
            if index == chosen {
                // The whole row between the borders, as the table marks its selection.
                buffer.applyStyle(theme.style(.selection), to: Rect(x: clip.x - 1, y: y, width: clip.width + 2, height: 1))
            }
        }
    }

    /// `text` cut to `width` columns, the characters the words matched in it highlighted
    /// (only in ASCII text, where a character is a column).
    private func drawHighlighted(_ text: String, words: [FuzzyScorer], x: Int, y: Int, width: Int, style: Style, into buffer: inout Buffer, clip: Rect) {
        guard width > 0 else { return }
        let shown = TextWidth.truncate(text, to: width)
        buffer.write(shown, x: x, y: y, style: style, clip: clip)
        guard !words.isEmpty, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return }
        let characters = Array(text.utf8)
        // A cut text ends in an ellipsis, which is not a character of the text.
        let visible = shown.utf8.count == characters.count ? characters.count : max(0, TextWidth.of(shown) - 1)
        for word in words {
            for position in word.positions(in: text) ?? [] where position < visible {
                buffer.write(String(UnicodeScalar(characters[position])), x: x + position, y: y, style: style.patched(with: theme.style(.searchMatch)), clip: clip)
            }
        }
    }

    /// Why nothing matches, and how the tokens work.
    private func drawHints(into buffer: inout Buffer, clip: Rect) {
        var lines: [String] = []
        let query = state.tableNarrowing?.parsed
        if let unknown = query?.unknownStates.first {
            lines.append("no state is called '\(VisibleText.escape(unknown))'; the states:")
            lines.append(StepState.allCases.map(\.rawValue).joined(separator: " "))
        } else if let word = query?.words.first(where: { StepQuery.stateNamed(byWord: $0.word) != nil }),
                  let named = StepQuery.stateNamed(byWord: word.word) {
            lines.append("no step's id, name or host matches '\(VisibleText.escape(word.word))'")
            lines.append("state:\(named.rawValue) keeps the \(named.rawValue) steps")
        } else {
            lines.append(state.tableFilter.map { "no \($0.rawValue) step matches" } ?? "no step matches")
        }
        lines.append("words match ids, names and hosts, letters in order;")
        lines.append("state:failed state:waiting host:web1 filter")
        for (offset, line) in lines.prefix(clip.height).enumerated() {
            buffer.write(TextWidth.truncate(line, to: clip.width), x: clip.x, y: clip.y + offset, style: theme.style(.muted), clip: clip)
        }
    }
}
