import BatonEngine
import BatonTerminal

/// The log pane: the selected step's output, stdout and stderr told apart, with search
/// highlights; or, after a search found a match only the step's log file holds, the lines of
/// the file around it.
public struct LogView: Widget {
    public var state: AppState
    public var theme: Theme
    public var unicode: Bool

    public init(state: AppState, theme: Theme, unicode: Bool) {
        self.state = state
        self.theme = theme
        self.unicode = unicode
    }

    /// The pane title: the step and the view's modes.
    public var title: String {
        var parts = ["Log"]
        if let step = state.selectedStep { parts.append(step.host.map { "\(step.id) on \($0)" } ?? step.id) }
        var modes: [String] = state.followsActivity ? ["auto"] : []
        let view = state.panes.log
        let excerpt = state.shownExcerpt
        if excerpt != nil {
            modes.append("from the file")
        } else {
            modes.append(view.scroll.follows ? "follow" : "paused scroll")
        }
        if view.wrap { modes.append("wrap") } else if view.scroll.column > 0 { modes.append("→ column \(view.scroll.column + 1)") }
        if !view.query.isEmpty {
            var search = "/\(view.query) "
            if let excerpt, let result = view.fileResult, let position = view.fileMatchPosition(of: excerpt.focus) {
                search += "\(Format.count(position))/\(Format.count(result.matchCount)) in the file"
            } else {
                search += view.matches.isEmpty ? "none in memory" : "\(view.current + 1)/\(view.matches.count)"
                if view.fileSearch != nil && view.fileResult == nil {
                    search += ", searching the file"
                } else if let count = view.fileResult?.matchCount, count > 0 {
                    search += ", \(Format.count(count)) more in the file"
                }
            }
            modes.append(search)
        }
        return parts.joined(separator: ": ") + " (" + modes.joined(separator: " · ") + ")"
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 2, area.height > 0 else { return }
        guard let id = state.selectedStep?.id else { return }
        let excerpt = state.shownExcerpt
        let log = state.logs[id]
        let lines = excerpt?.lines ?? log?.lines ?? []
        if lines.isEmpty {
            let text = state.stepState(state.selected) == .pending ? "no output yet: the step has not started" : "no output"
            buffer.write(text, x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        let gutter = 2
        let textWidth = area.width - gutter
        let follow = excerpt == nil && state.panes.log.scroll.follows
        var rows = layout(lines, height: area.height, width: textWidth, follow: follow)
        // The notice gets a row of its own, so it never hides a line: over an excerpt of the
        // file always, over the lines in memory when the first of them is in view.
        let notice = self.notice(excerpt: excerpt, log: log, id: id)
        let showsNotice = notice != nil && area.height > 1 && (excerpt != nil || rows.first?.line == 0)
        if showsNotice, let notice {
            rows = layout(lines, height: area.height - 1, width: textWidth, follow: follow)
            let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
            buffer.fill(row, with: Cell(" ", style: theme.style(.muted)))
            buffer.write(TextWidth.truncate(notice, to: textWidth), x: area.x + gutter, y: area.y, style: theme.style(.muted), clip: row)
        }
        let currentMatch: Int?
        let matchSet: Set<Int>
        if let excerpt {
            // Matches in an excerpt are found as it is drawn: it is short, and only its rows in view are looked at.
            currentMatch = excerpt.focus - excerpt.firstLine
            matchSet = Set(rows.map(\.line).filter { LogSearch.matches(lines[$0].text, query: state.panes.log.query) })
        } else {
            currentMatch = state.panes.log.matches.indices.contains(state.panes.log.current) ? state.panes.log.matches[state.panes.log.current] : nil
            matchSet = Set(state.panes.log.matches)
        }
        var previous = -1
        for (offset, (index, piece)) in rows.enumerated() {
            let y = area.y + offset + (showsNotice ? 1 : 0)
            let line = lines[index]
            let style: Style
            let mark: String
            switch line.stream {
            case .stdout:
                style = theme.style(.text)
                mark = unicode ? "│" : "|"
            case .stderr:
                style = theme.style(.stderr)
                mark = "!"
            case .baton:
                style = theme.style(.batonNote)
                mark = unicode ? "»" : ">"
            }
            buffer.write(index == previous ? " " : mark, x: area.x, y: y, style: line.stream == .stderr ? theme.style(.stderr).with(.bold) : theme.style(.muted))
            previous = index
            buffer.write(piece, x: area.x + gutter, y: y, style: style, clip: area)
            if matchSet.contains(index) {
                highlight(piece, query: state.panes.log.query, x: area.x + gutter, y: y, current: index == currentMatch, buffer: &buffer, clip: area)
            }
        }
    }

    /// What the notice row says: which lines of the file an excerpt holds, or how many earlier
    /// lines only the file holds; nil when there is nothing to say.
    private func notice(excerpt: LogExcerpt?, log: StepLog?, id: String) -> String? {
        if let excerpt {
            let total = state.panes.log.fileResult.map { " of \(Format.count($0.totalLines))" } ?? ""
            return "file lines \(Format.count(excerpt.firstLine))–\(Format.count(excerpt.lastLine))\(total) in logs/\(id).log · G: the newest lines"
        }
        guard let dropped = log?.dropped, dropped > 0 else { return nil }
        return "\(Format.count(dropped)) earlier lines in logs/\(id).log" + (state.replay == nil ? " · / searches them too" : "")
    }

    /// The rows `height` rows show of `lines`, as (line index, piece) pairs: the newest lines
    /// when following, else from the top line; with wrap a line may take several rows.
    private func layout(_ lines: [OutputLine], height: Int, width: Int, follow: Bool) -> [(line: Int, piece: String)] {
        guard height > 0 else { return [] }
        if follow {
            var index = lines.count - 1
            var collected: [(line: Int, piece: String)] = []
            while index >= 0 && collected.count < height {
                collected.insert(contentsOf: pieces(of: lines[index].text, width: width).map { (index, $0) }, at: 0)
                index -= 1
            }
            return Array(collected.suffix(height))
        }
        var rows: [(line: Int, piece: String)] = []
        var index = min(state.panes.log.scroll.top, max(0, lines.count - 1))
        while index < lines.count && rows.count < height {
            rows.append(contentsOf: pieces(of: lines[index].text, width: width).map { (index, $0) })
            index += 1
        }
        return Array(rows.prefix(height))
    }

    private func pieces(of text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        if state.panes.log.wrap { return TextWrap.wrap(text, width: width).isEmpty ? [""] : TextWrap.wrap(text, width: width) }
        let column = state.panes.log.scroll.column
        guard column > 0 else { return [TextWidth.truncate(text, to: width)] }
        // Scrolled to the right: what is left of the line after `column` cells, marked as cut.
        let (skipped, _) = TextWidth.prefix(text, fitting: column)
        let rest = text.dropFirst(skipped.count)
        return rest.isEmpty ? [""] : ["…" + TextWidth.truncate(String(rest), to: width - 1)]
    }

    private func highlight(_ piece: String, query: String, x: Int, y: Int, current: Bool, buffer: inout Buffer, clip: Rect) {
        let style = current ? theme.style(.searchCurrent) : theme.style(.searchMatch)
        for range in LogSearch.ranges(in: piece, query: query) {
            let start = x + TextWidth.of(String(piece[..<range.lowerBound]))
            let width = TextWidth.of(String(piece[range]))
            buffer.setStyle(style, to: Rect(x: start, y: y, width: width, height: 1).intersection(clip))
        }
    }
}
