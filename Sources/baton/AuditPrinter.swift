import BatonEngine
import Foundation

/// Prints a run's audit trail for `baton runs --audit` as an aligned table (`AuditTrailJSON` is its `--json`).
struct AuditPrinter {
    var entries: [AuditEntry]

    /// The trail as a table, oldest first: when, who, what, which step, the verdict, and the comment or reason.
    func table(runID: String, workflow: String) -> String {
        var lines = ["audit trail of run \(runID) (\(ProgressPrinter.printable(workflow))): \(entries.count) entr\(entries.count == 1 ? "y" : "ies")"]
        guard !entries.isEmpty else { return lines.joined(separator: "\n") }
        var rows: [[String]] = [["TIME", "USER", "ACTION", "STEP", "RESULT", "DETAIL"]]
        for entry in entries {
            var detail: [String] = []
            if let comment = entry.comment, !comment.isEmpty { detail.append("comment: \"\(comment)\"") }
            if let reason = entry.detail, !reason.isEmpty { detail.append(reason) }
            rows.append([
                Self.timestamp(entry.time), entry.user, entry.action, entry.step ?? "-", entry.outcome.rawValue,
                detail.joined(separator: "; "),
            ].map(ProgressPrinter.printable))
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces())
        }
        let refused = entries.filter { $0.outcome == .refused }.count
        if refused > 0 { lines.append("\(refused) refused") }
        return lines.joined(separator: "\n")
    }

    /// Local date and time to the millisecond.
    static func timestamp(_ time: Double) -> String {
        let millis = Int((time - time.rounded(.down)) * 1000)
        return RunsCommand.date(time) + String(format: ".%03d", millis)
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
