import BatonEngine
import BatonTerminal

/// The log pane: the selected step's output, stdout and stderr told apart, with search highlights.
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
        if let id = state.selectedStep?.id { parts.append(id) }
        var modes: [String] = []
        modes.append(state.logView.follow ? "follow" : "paused scroll")
        if state.logView.wrap { modes.append("wrap") }
        if !state.logView.query.isEmpty {
            let count = state.logView.matches.count
            modes.append(count == 0 ? "/\(state.logView.query) none" : "/\(state.logView.query) \(state.logView.current + 1)/\(count)")
        }
        return parts.joined(separator: ": ") + " (" + modes.joined(separator: " · ") + ")"
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 2, area.height > 0 else { return }
        guard let id = state.selectedStep?.id else { return }
        let log = state.logs[id]
        let lines = log?.lines ?? []
        if lines.isEmpty {
            let text = state.stepState(state.selected) == .pending ? "no output yet: the step has not started" : "no output"
            buffer.write(text, x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        let gutter = 2
        let textWidth = area.width - gutter
        let follow = state.logView.follow
        var rows = layout(lines, height: area.height, width: textWidth, follow: follow)
        // The notice gets a row of its own, so it never hides a line: the row above the first
        // line in memory, when that line is in view.
        let notice = self.notice(log: log, id: id)
        let showsNotice = notice != nil && area.height > 1 && rows.first?.line == 0
        if showsNotice, let notice {
            rows = layout(lines, height: area.height - 1, width: textWidth, follow: follow)
            let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
            buffer.fill(row, with: Cell(" ", style: theme.style(.muted)))
            buffer.write(TextWidth.truncate(notice, to: textWidth), x: area.x + gutter, y: area.y, style: theme.style(.muted), clip: row)
        }
        let currentMatch = state.logView.matches.indices.contains(state.logView.current) ? state.logView.matches[state.logView.current] : nil
        let matchSet = Set(state.logView.matches)
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
                highlight(piece, query: state.logView.query, x: area.x + gutter, y: y, current: index == currentMatch, buffer: &buffer, clip: area)
            }
        }
    }

    /// What the notice row says: how many earlier lines only the file holds; nil when none.
    private func notice(log: StepLog?, id: String) -> String? {
        guard let dropped = log?.dropped, dropped > 0 else { return nil }
        return "\(Format.count(dropped)) earlier lines in logs/\(id).log"
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
        var index = min(state.logView.top, max(0, lines.count - 1))
        while index < lines.count && rows.count < height {
            rows.append(contentsOf: pieces(of: lines[index].text, width: width).map { (index, $0) })
            index += 1
        }
        return Array(rows.prefix(height))
    }

    private func pieces(of text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        if state.logView.wrap { return TextWrap.wrap(text, width: width).isEmpty ? [""] : TextWrap.wrap(text, width: width) }
        return [TextWidth.truncate(text, to: width)]
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
