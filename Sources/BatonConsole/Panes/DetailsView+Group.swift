import BatonEngine
import BatonTerminal

extension DetailsView {
    /// The details of a collapsed group's node: its instances by state, the ones that need an
    /// eye, that `e` opens it to act on one, what they need and how they run together.
    func groupLines(_ group: String) -> [(String, Style)] {
        let members = state.workflow.steps.indices.filter { state.workflow.steps[$0].group == group && state.workflow.steps[$0].fanOutSource == nil }
        let states = members.map(state.stepState)
        let shown = GroupedGraph.attentionState(states)
        let first = members.first.map { state.workflow.steps[$0] }
        var lines: [(String, Style)] = []
        let title = first?.name.map { "\(group) — \($0)" } ?? group
        lines.append(("\(theme.glyph(for: shown)) \(title)", theme.style(for: shown).with(.bold)))
        var counts: [StepState: Int] = [:]
        for state in states { counts[state, default: 0] += 1 }
        let byState = StepState.allCases.compactMap { state in counts[state].map { "\(theme.glyph(for: state)) \($0) \(state.rawValue)" } }
        lines.append(("instances: " + byState.joined(separator: " · "), theme.style(.text)))
        let eye: Set<StepState> = [.waiting, .failed, .interrupted, .cancelled, .rollbackFailed, .blocked, .held, .suspended]
        let needy = zip(members, states).filter { eye.contains($0.1) }
        if !needy.isEmpty {
            let named = needy.prefix(5).map { "\(state.workflow.steps[$0.0].id) \($0.1.rawValue)" }
            lines.append(("needs an eye: " + named.joined(separator: ", ") + (needy.count > 5 ? ", and \(needy.count - 5) more" : ""),
                          theme.style(.statusError)))
        }
        // Before the definition: a short pane shows what the operator can do about them.
        lines.append(("a fan-out of \(members.count), collapsed: e or Enter expands it to act on one instance", theme.style(.muted)))
        lines.append(("", theme.style(.text)))
        let needs = StepTable.needsText(members, in: state, width: 200)
        if needs != "–" { lines.append(("needs: \(needs)", theme.style(.text))) }
        if let policy = state.workflow.groups.first(where: { $0.id == group }) {
            var together: [String] = []
            if let size = policy.batchSize { together.append("batches of \(size)") }
            if let limit = policy.maxParallel { together.append("at most \(limit) at once") }
            if let failures = policy.maxFailures {
                together.append(failures == 0 ? "the first failure holds back the rest" : "more than \(failures) failures hold back the rest")
            }
            if !together.isEmpty { lines.append(("runs: " + together.joined(separator: ", "), theme.style(.text))) }
        }
        if let span = StepTable.span(of: members, in: state) {
            lines.append(("started: \(Format.clock(span.start)); \(Format.duration(span.end - span.start)) from the first start to the last end",
                          theme.style(.text)))
        }
        if let notes = first?.notes {
            lines.append(("", theme.style(.text)))
            lines.append(("notes: \(notes)", theme.style(.muted)))
        }
        return lines
    }
}
