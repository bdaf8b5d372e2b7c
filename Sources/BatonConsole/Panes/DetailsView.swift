import BatonEngine
import BatonTerminal

/// The details pane: why the step is where it is, its definition, attempts and exit codes.
public struct DetailsView: Widget {
    public var state: AppState
    public var plan: Plan
    public var theme: Theme

    public init(state: AppState, plan: Plan, theme: Theme) {
        self.state = state
        self.plan = plan
        self.theme = theme
    }

    /// The pane's lines with their styles, before scrolling and clipping. Every line is
    /// escaped by `VisibleText`: outputs, reasons and comments come from steps and people.
    public func lines() -> [(String, Style)] {
        rawLines().map { (VisibleText.escape($0.0), $0.1) }
    }

    private func rawLines() -> [(String, Style)] {
        guard let step = state.selectedStep else { return [("no step selected", theme.style(.muted))] }
        if let group = state.selectedGroup { return groupLines(group) }
        let index = state.selected
        let stepState = state.stepState(index)
        let record = state.selectedRecord
        var lines: [(String, Style)] = []
        let title = step.name.map { "\(step.id) — \($0)" } ?? step.id
        lines.append(("\(theme.glyph(for: stepState)) \(title)", theme.style(for: stepState).with(.bold)))
        if let why = StepExplanation.why(index, in: state, plan: plan) {
            let alarming: Set<StepState> = [.failed, .blocked, .rollbackFailed]
            lines.append((why, alarming.contains(stepState) ? theme.style(.statusError) : theme.style(for: stepState)))
        }
        lines.append(("", theme.style(.text)))
        func field(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            // A block-scalar command spans lines: show each on its own, indented under the name.
            var parts = value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            while parts.count > 1, parts.last?.allSatisfy(\.isWhitespace) == true { parts.removeLast() }
            lines.append(("\(name): \(parts[0])", theme.style(.text)))
            for part in parts.dropFirst() { lines.append(("  \(part)", theme.style(.text))) }
        }
        field("run", step.run ?? (step.simulate != nil ? "(simulated)" : step.isPureGate ? "(approval gate)" : nil))
        if let name = step.host {
            let host = state.workflow.inventory.host(name)
            let address = host.map { $0.destination + ($0.port.map { ":\($0)" } ?? "") }
            let simulated = ExecutorKind.of(step, simulatesEverything: state.run.simulated) == .simulated
            field("host", "\(name)" + (address.map { $0 == name ? "" : " (\($0))" } ?? "") + (simulated ? ", simulated" : ", over SSH"))
        }
        field("needs", step.needs.isEmpty ? nil : step.needs.joined(separator: ", "))
        field("when", step.when?.source)
        if step.retry.attempts > 1 { field("retry", retrySummary(step.retry)) }
        field("timeout", step.timeout.map { Format.duration(seconds($0)) })
        field("rollback", step.rollback)
        if let gate = step.approval {
            field("approval", gate.prompt ?? "required")
            field("approvers", gate.approvers.isEmpty ? "any operator" : gate.approvers.joined(separator: ", "))
            if let escalated = record?.escalatedTo { field("escalated to", escalated.joined(separator: ", ")) }
            if !(gate.selfApproval ?? state.workflow.selfApproval) {
                field("self-approval", "refused: \(state.run.user.isEmpty ? "the run's starter" : state.run.user) may not approve")
            }
            if let timeout = gate.timeout {
                var text = "\(Format.duration(seconds(timeout))), then " + (gate.onTimeout == .escalate && record?.escalatedTo == nil
                    ? "escalates to \(gate.escalateTo.joined(separator: ", "))" : "rejected")
                if stepState == .waiting, let since = record?.waitingSince {
                    text += " — \(Format.duration(max(0, since + seconds(timeout) - state.now))) left"
                }
                field("approval timeout", text)
            }
        }
        if let decision = record?.approval {
            // Escaped before `field` splits it, so a newline in it shows as `\n`.
            field(decision.approved ? "approved by" : "rejected by", VisibleText.escape(decision.user + (decision.comment.map { ": \($0)" } ?? "")))
        }
        field("dir", step.dir)
        if step.continueOnError { field("continue_on_error", "yes") }
        if let record, record.attempt > 0 {
            lines.append(("", theme.style(.text)))
            let codes = record.exitCodes.map(String.init).joined(separator: ", ")
            field("attempts", Format.attempts(record, allowed: step.retry.attempts) + (codes.isEmpty ? "" : "; exit codes \(codes)"))
            field("started", record.startedAt.map(Format.clock))
            // The attempts' running time, without suspensions or backoffs; a skipped step has none.
            if record.state != .skipped {
                field("ran", Format.duration(record.runTime(at: state.now)) + (record.attempt > 1 ? " over \(record.attempt) attempts" : ""))
            }
            if let start = record.rollbackStartedAt, let seconds = record.rollbackTime(at: state.now) {
                let codes = record.rollbackExitCodes.map(String.init).joined(separator: ", ")
                field("rollback ran", Format.clock(start) + " — " + Format.duration(seconds) + (codes.isEmpty ? "" : "; exit codes \(codes)"))
            }
            if !record.outputs.isEmpty {
                // Values are whatever the step wrote to $BATON_OUTPUT: escape each one whole.
                // One output a line, aligned under the first; a value of several lines (a
                // key<<DELIMITER block) has each further line indented beneath its key.
                let sorted = record.outputs.sorted { $0.key < $1.key }
                let lead = "outputs: "
                let indent = String(repeating: " ", count: lead.count)
                for (position, output) in sorted.enumerated() {
                    let parts = output.value.split(separator: "\n", omittingEmptySubsequences: false)
                    let first = (position == 0 ? lead : indent) + "\(output.key)=\(VisibleText.escape(String(parts[0])))"
                    lines.append((first, theme.style(.text)))
                    for part in parts.dropFirst() { lines.append((indent + "  " + VisibleText.escape(String(part)), theme.style(.text))) }
                }
            }
        }
        if let notes = step.notes {
            lines.append(("", theme.style(.text)))
            lines.append(("notes: \(notes)", theme.style(.muted)))
        }
        return lines
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        TextWrap.render(lines(), scroll: state.panes.details, into: &buffer, area: area)
    }

    /// `retry:` in a few words: "5 attempts, backoff 2s ×1.5, at most 30s; exit codes 75, 111; within 10m".
    private func retrySummary(_ retry: RetryPolicy) -> String {
        var text = "\(retry.attempts) attempts, backoff \(Format.duration(seconds(retry.backoff)))"
        if retry.factor != 2 {
            // Whole factors read as "×3", others as "×1.5".
            let whole = retry.factor < 1e9 && retry.factor == retry.factor.rounded()
            text += " ×" + (whole ? String(Int(retry.factor)) : String(retry.factor))
        }
        if let cap = retry.maxBackoff { text += ", at most \(Format.duration(seconds(cap)))" }
        if let codes = retry.onExitCodes { text += "; exit codes \(codes.map(String.init).joined(separator: ", ")) only" }
        if let limit = retry.maxDuration { text += "; within \(Format.duration(seconds(limit)))" }
        return text
    }

    private func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }
}
