import BatonEngine
import BatonTerminal
import Foundation

/// `baton top`'s `view`: draws the whole screen for a state into a new buffer.
public enum TopView {
    public static func render(_ state: TopState, theme: Theme, unicode: Bool) -> Buffer {
        let buffer = draw(state, theme: theme, unicode: unicode)
        return unicode ? buffer : buffer.asciiOnly()
    }

    private static func draw(_ state: TopState, theme: Theme, unicode: Bool) -> Buffer {
        var buffer = Buffer(width: state.width, height: state.height, fill: Cell(" ", style: theme.style(.text)))
        let layout = TopLayout(width: state.width, height: state.height)
        if layout.isTooSmall {
            TooSmallView(theme: theme, minimumWidth: TopLayout.minimumWidth, minimumHeight: TopLayout.minimumHeight)
                .render(into: &buffer, area: buffer.area)
            return buffer
        }
        drawHeader(state, into: &buffer, area: layout.header, theme: theme, unicode: unicode)
        let columns = TopColumns(width: state.width, wanted: state.columnWidths)
        for column in columns.columns {
            buffer.write(TextWidth.truncate(column.kind.title, to: column.width), x: column.x, y: layout.titles.y, style: theme.style(.title), clip: layout.titles)
        }
        drawList(state, columns: columns, into: &buffer, area: layout.list, theme: theme, unicode: unicode)
        StatusView(status: state.status ?? state.watchNotice.map { StatusLine($0, isError: true, time: state.now) }, theme: theme)
            .render(into: &buffer, area: layout.status)
        FooterView(theme: theme, searchPrompt: nil, offered: state.keymap.footerHints(for: state.selectedRun)).render(into: &buffer, area: layout.footer)
        if let help = state.help {
            DialogView(dialog: help, theme: theme, unicode: unicode).render(into: &buffer, area: buffer.area)
        }
        return buffer
    }

    /// The header: how many runs, how many live, how many wait on you, and the folder watched.
    private static func drawHeader(_ state: TopState, into buffer: inout Buffer, area: Rect, theme: Theme, unicode: Bool) {
        let style = theme.style(.header)
        buffer.fill(area, with: Cell(" ", style: style))
        let dot = unicode ? " · " : " - "
        var left = " baton top" + dot + "\(state.runs.count) run\(state.runs.count == 1 ? "" : "s")" + dot + "\(state.liveCount) live"
        let waiting = state.waitingOnMe
        let end = buffer.write(left, x: area.x, y: area.y, style: style.with(.bold), clip: area)
        var x = end
        if waiting > 0 {
            left = "\(waiting) wait\(waiting == 1 ? "s" : "") on you (\(VisibleText.escape(state.user))) "
            x = buffer.write(String(dot.dropLast()), x: x, y: area.y, style: style, clip: area)
            x = buffer.write(" ", x: x, y: area.y, style: theme.style(.attention), clip: area)
            x = buffer.write(left, x: x, y: area.y, style: theme.style(.attention), clip: area)
        }
        let place = VisibleText.escape(state.stateDirectory) + " "
        let room = area.maxX - x - 2
        if room >= 8 {
            let text = TextWidth.of(place) <= room ? place : "…" + String(place.suffix(room - 1))
            buffer.write(text, x: area.maxX - TextWidth.of(text), y: area.y, style: style, clip: area)
        }
    }

    private static func drawList(_ state: TopState, columns: TopColumns, into buffer: inout Buffer, area: Rect, theme: Theme, unicode: Bool) {
        guard !state.runs.isEmpty else {
            let text = state.loaded
                ? "no runs recorded in \(VisibleText.escape(state.stateDirectory))/runs yet; new runs show here as they start"
                : "reading the runs in \(VisibleText.escape(state.stateDirectory))/runs…"
            buffer.write(TextWidth.truncate(text, to: area.width - 2), x: area.x + 2, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        let selected = state.selectedIndex
        for row in 0..<area.height {
            let index = state.top + row
            guard index < state.runs.count else { break }
            let run = state.runs[index]
            let y = area.y + row
            let line = Rect(x: area.x, y: y, width: area.width, height: 1)
            let rowStyle: Style? = index == selected ? theme.style(.selection) : run.waitsOnMe ? theme.style(.attention) : nil
            if let rowStyle { buffer.fill(line, with: Cell(" ", style: rowStyle)) }
            let base = rowStyle ?? theme.style(.text)
            let markStyle = run.waitsOnMe ? theme.style(.attention) : rowStyle ?? colourStyle(run, theme: theme)
            buffer.write(TopRow.mark(run, unicode: unicode), x: area.x, y: y, style: markStyle, clip: line)
            for column in columns.columns {
                let text = TextWidth.truncate(TopRow.text(column.kind, run, now: state.now, unicode: unicode), to: column.width)
                let cell = Rect(x: column.x, y: y, width: column.width, height: 1)
                var style = base
                if rowStyle == nil {
                    switch column.kind {
                    case .state: style = colourStyle(run, theme: theme)
                    case .waiting where run.problem != nil: style = theme.style(.statusError)
                    case .progressBar, .progressCount, .elapsed, .user:
                        // What has ended is shown muted; live runs keep the plain colour.
                        if !run.isLive { style = theme.style(.muted) }
                    default: break
                    }
                }
                if column.kind == .progressBar && rowStyle == nil {
                    // The bar in the run's colour, its count as text.
                    let bar = TopRow.bar(run, unicode: unicode)
                    let next = buffer.write(bar, x: column.x, y: y, style: colourStyle(run, theme: theme), clip: cell)
                    buffer.write(" " + TopRow.countText(run), x: next, y: y, style: style, clip: cell)
                } else {
                    buffer.write(text, x: column.x, y: y, style: style, clip: cell)
                }
            }
        }
    }

    private static func colourStyle(_ run: TopRun, theme: Theme) -> Style {
        TopRow.colourState(of: run).map(theme.style(for:)) ?? theme.style(.text)
    }
}
