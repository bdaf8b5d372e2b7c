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
        let currentMatch = state.logView.matches.indices.contains(state.logView.current) ? state.logView.matches[state.logView.current] : nil
        let matchSet = Set(state.logView.matches)
        // Rows: (line index, piece) pairs; with wrap a line may take several rows.
        var rows: [(Int, String)] = []
        let firstLine: Int
        if state.logView.follow {
            var index = lines.count - 1
            var collected: [(Int, String)] = []
            while index >= 0 && collected.count < area.height {
                let pieces = pieces(of: lines[index].text, width: textWidth)
                collected.insert(contentsOf: pieces.map { (index, $0) }, at: 0)
                index -= 1
            }
            rows = Array(collected.suffix(area.height))
            firstLine = rows.first?.0 ?? 0
        } else {
            var index = min(state.logView.top, max(0, lines.count - 1))
            firstLine = index
            while index < lines.count && rows.count < area.height {
                rows.append(contentsOf: pieces(of: lines[index].text, width: textWidth).map { (index, $0) })
                index += 1
            }
            rows = Array(rows.prefix(area.height))
        }
        var previous = -1
        for (offset, (index, piece)) in rows.enumerated() {
            let y = area.y + offset
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
        if log?.dropped ?? 0 > 0 && firstLine == 0 && !rows.isEmpty {
            let note = " \(log!.dropped) earlier lines in logs/\(id).log "
            buffer.write(TextWidth.truncate(note, to: area.width), x: area.x, y: area.y, style: theme.style(.muted))
        }
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
