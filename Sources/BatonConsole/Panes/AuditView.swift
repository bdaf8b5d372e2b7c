import BatonEngine
import BatonTerminal
import Foundation

/// The audit pane: the run's trail of operator commands, accepted and refused, and what
/// Baton decided by itself, oldest at the top and following the newest.
public struct AuditView: Widget {
    public var entries: [AuditEntry]
    /// The first entry shown; nil shows the newest entries.
    public var top: Int?
    public var theme: Theme
    public var unicode: Bool

    public init(entries: [AuditEntry], top: Int?, theme: Theme, unicode: Bool) {
        self.entries = entries
        self.top = top
        self.theme = theme
        self.unicode = unicode
    }

    /// The pane title: how many entries and refusals, and how to go back.
    public static func title(for entries: [AuditEntry], following: Bool) -> String {
        let refused = entries.filter { $0.outcome == .refused }.count
        let count = "\(entries.count) entr\(entries.count == 1 ? "y" : "ies")" + (refused > 0 ? ", \(refused) refused" : "")
        return "Audit — \(count) (\(following ? "follow" : "paused scroll")) — A shows the log"
    }

    /// The mark for an entry's outcome.
    func mark(_ outcome: AuditEntry.Outcome) -> String {
        switch outcome {
        case .accepted: return unicode ? "✔" : "+"
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
        buffer.write(row("TIME", " ", "USER", "ACTION", "STEP", "COMMENT / REASON"), x: area.x, y: area.y,
                     style: theme.style(.title), clip: area)
        let rows = area.height - 1
        guard rows > 0 else { return }
        let newestTop = max(0, entries.count - rows)
        let first = min(top ?? newestTop, newestTop)
        for (offset, entry) in entries[first..<min(entries.count, first + rows)].enumerated() {
            var detail: [String] = []
            if let comment = entry.comment, !comment.isEmpty { detail.append("“\(comment)”") }
            if let reason = entry.detail, !reason.isEmpty { detail.append(reason) }
            // Comments are typed by people and reasons may quote step output: both are escaped.
            let text = row(Self.clock(entry.time), mark(entry.outcome), TextWidth.truncate(entry.user, to: userWidth),
                           TextWidth.truncate(entry.action, to: actionWidth), TextWidth.truncate(entry.step ?? "-", to: stepWidth),
                           VisibleText.escape(detail.joined(separator: " — "), limit: 1024))
            buffer.write(TextWidth.truncate(text, to: area.width), x: area.x, y: area.y + 1 + offset, style: style(entry.outcome), clip: area)
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
