import BatonEngine
import BatonTerminal

/// The teaching notes pane: the selected step's `notes:`, the ideas its state and definition
/// show (a short glossary), and the workflow's `description`.
public struct NotesView: Widget {
    public var state: AppState
    public var plan: Plan
    public var theme: Theme

    public init(state: AppState, plan: Plan, theme: Theme) {
        self.state = state
        self.plan = plan
        self.theme = theme
    }

    /// The pane's lines with their styles, before wrapping, scrolling and clipping.
    public func lines() -> [(String, Style)] {
        var lines: [(String, Style)] = []
        let text = theme.style(.text)
        let muted = theme.style(.muted)
        if let step = state.selectedStep {
            let stepState = state.stepState(state.selected)
            let title = step.name.map { "\(step.id) — \($0)" } ?? step.id
            lines.append(("\(theme.glyph(for: stepState)) \(title)", theme.style(for: stepState).with(.bold)))
            if let notes = step.notes, !notes.isEmpty {
                for paragraph in notes.split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append((String(paragraph), text))
                }
            } else {
                lines.append(("This step has no notes.", muted))
            }
            // A called workflow's step says which calls it runs in, and what they are for.
            for call in step.enclosingCalls.compactMap({ state.workflow.call($0) }) {
                lines.append(("", text))
                let title = call.name.map { "'\(call.id)' (\($0))" } ?? "'\(call.id)'"
                lines.append(("Part of \(title), which runs \(call.file) ('\(call.workflowName)').", theme.style(.title)))
                if let notes = call.notes, !notes.isEmpty {
                    for paragraph in notes.split(separator: "\n", omittingEmptySubsequences: false) {
                        lines.append((String(paragraph), text))
                    }
                }
            }
            lines.append(("", text))
            let now = Glossary.entry(for: stepState)
            lines.append(("Now: \(now.term)", theme.style(for: stepState).with(.bold)))
            lines.append(("  \(now.meaning)", text))
            let dependents = plan.dependents.indices.contains(state.selected) ? plan.dependents[state.selected].count : 0
            let group = step.group.flatMap { id in state.workflow.groups.first { $0.id == id } }
            let concepts = Glossary.concepts(of: step, dependents: dependents, group: group)
            if !concepts.isEmpty {
                lines.append(("", text))
                lines.append(("What this step shows:", theme.style(.title)))
                for concept in concepts {
                    lines.append(("• \(concept.term): \(concept.meaning)", text))
                }
            }
        }
        lines.append(("", text))
        lines.append(("About '\(state.workflow.name)':", theme.style(.title)))
        let description = state.workflow.description ?? ""
        lines.append((description.isEmpty ? "No description." : description, description.isEmpty ? muted : text))
        return lines
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        TextWrap.render(lines(), scroll: state.panes.notes, into: &buffer, area: area)
    }
}
