import BatonEngine
import BatonTerminal
import Foundation

/// The audit pane: the run's trail of operator commands, accepted and refused, and what
/// Baton decided by itself, oldest at the top and following the newest.
///
/// With `wrap` (the default; `w` toggles it while the pane shows), a long comment or reason
/// goes on over the next rows, under its column, so nobody's words are cut.
public struct AuditView: Widget {
    public var entries: [AuditEntry]
    /// The first entry shown; nil shows the newest entries.
    public var top: Int?
    public var theme: Theme
    public var unicode: Bool
    public var wrap: Bool

    public init(entries: [AuditEntry], top: Int?, theme: Theme, unicode: Bool, wrap: Bool = true) {
        self.entries = entries
        self.top = top
        self.theme = theme
        self.unicode = unicode
        self.wrap = wrap
    }

    /// The pane title: how many entries and refusals, and how to go back.
    public static func title(for entries: [AuditEntry], following: Bool, toggle: String = "A") -> String {
        let refused = entries.filter { $0.outcome == .refused }.count
        let count = "\(entries.count) entr\(entries.count == 1 ? "y" : "ies")" + (refused > 0 ? ", \(refused) refused" : "")
        return "Audit — \(count) (\(following ? "follow" : "paused scroll")) — \(toggle) shows the log"
    }

    /// The mark for an entry's outcome.
    func mark(_ outcome: AuditEntry.Outcome) -> String {
        switch outcome {
        case .accepted: return unicode ? "✔" : "v"
        case .refused: return unicode ? "✘" : "x"
        case .recorded: return unicode ? "·" : "-"
        }
    }

    /// The style of an entry's row.
    func style(_ outcome: AuditEntry.Outcome) -> Style {
        switch outcome {
        case .accepted: return theme.style(.text)
        case .refused: return theme.style(.state(.failed))
        case .recorded: return theme.style(.muted)
        }
    }

    /// The narrowest comment column a comment wraps in beside its entry; below it, the comment
    /// wraps on rows of its own under the entry.
    static let narrowestDetail = 8

    public func render(into buffer: inout Buffer, area: Rect) {
        guard area.width > 4, area.height > 0 else { return }
        guard !entries.isEmpty else {
            buffer.write("nothing recorded yet", x: area.x, y: area.y, style: theme.style(.muted), clip: area)
            return
        }
        let userWidth = min(12, max(4, entries.map { TextWidth.of($0.user) }.max() ?? 4))
        let actionWidth = min(14, max(6, entries.map { TextWidth.of($0.action) }.max() ?? 6))
        let stepWidth = min(16, max(4, entries.map { TextWidth.of($0.step ?? "-") }.max() ?? 4))
        func row(_ time: String, _ mark: String, _ user: String, _ action: String, _ step: String, _ detail: String) -> String {
            [TextWidth.pad(time, to: 8), TextWidth.pad(mark, to: 1), TextWidth.pad(user, to: userWidth),
             TextWidth.pad(action, to: actionWidth), TextWidth.pad(step, to: stepWidth), detail].joined(separator: " ")
        }
        let detailX = 8 + 1 + 1 + 1 + userWidth + 1 + actionWidth + 1 + stepWidth + 1
        // The last heading narrows with its column, and says so when it is cut.
        let detailWidth = area.width - detailX
        let detailHeading = detailWidth >= 16 ? "COMMENT / REASON" : TextWidth.truncate("COMMENT", to: detailWidth)
        buffer.write(TextWidth.truncate(row("TIME", " ", "USER", "ACTION", "STEP", detailHeading), to: area.width), x: area.x, y: area.y,
                     style: theme.style(.title), clip: area)
        let rows = PaneFrame.listRows(inHeight: area.height)
        guard rows > 0 else { return }
        // An entry's rows: the row itself, then what is left of its comment or reason.
        func lines(_ entry: AuditEntry) -> [String] {
            var detail: [String] = []
            if let comment = entry.comment, !comment.isEmpty { detail.append("“\(comment)”") }
            if let reason = entry.detail, !reason.isEmpty { detail.append(reason) }
            // Comments are typed by people and reasons may quote step output: both are escaped.
            let words = VisibleText.escape(detail.joined(separator: " — "), limit: 1024)
            let head = row(Self.clock(entry.time), mark(entry.outcome), TextWidth.truncate(entry.user, to: userWidth),
                           TextWidth.truncate(entry.action, to: actionWidth), TextWidth.truncate(entry.step ?? "-", to: stepWidth), "")
            guard wrap, TextWidth.of(words) > max(0, detailWidth) else { return [TextWidth.truncate(head + words, to: area.width)] }
            guard detailWidth >= Self.narrowestDetail else {
                // Too narrow a column to read in: the words go on rows of their own below the
                // entry, across the pane, set in by two cells.
                let pieces = TextWrap.wrap(words, width: max(1, area.width - 2))
                return [TextWidth.truncate(head, to: area.width)] + pieces.map { "  " + $0 }
            }
            let pieces = TextWrap.wrap(words, width: detailWidth)
            let indent = String(repeating: " ", count: detailX)
            return [head + (pieces.first ?? "")] + pieces.dropFirst().map { indent + $0 }
        }
        // The first entry that still shows the newest one at the bottom; following, that is
        // where the pane starts, and a scrolled pane never starts below it.
        var start = entries.count
        var used = 0
        while start > 0 {
            let count = lines(entries[start - 1]).count
            guard used + count <= rows else { break }
            used += count
            start -= 1
        }
        let newestTop = min(start, entries.count - 1)
        let first = min(top ?? newestTop, newestTop)
        var y = area.y + 1
        for entry in entries[first...] {
            guard y < area.maxY else { break }
            for text in lines(entry) where y < area.maxY {
                buffer.write(text, x: area.x, y: y, style: style(entry.outcome), clip: area)
                y += 1
            }
        }
    }

    /// Local wall-clock time, to the second.
    static func clock(_ time: Double) -> String {
        var seconds = time_t(time)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
