import BatonEngine
import BatonTerminal

/// How the steps on each inventory host stand: the graph pane's host badges (on its bottom
/// border) and `baton top`'s HOSTS column.
///
/// Hosts that need an eye come first (one with a failed step, then one with a step at work),
/// then the rest by name, so a cut line still shows the trouble.
public struct HostTally: Sendable, Hashable {
    /// One host and the states of the steps that run on it.
    public struct Entry: Sendable, Hashable {
        public var host: String
        public var states: [StepState]

        public var hasFailure: Bool { states.contains { $0 == .failed || $0 == .rollbackFailed } }
        public var isActive: Bool { states.contains { $0 == .running || $0 == .retrying || $0 == .suspended || $0 == .rollingBack } }
    }

    public private(set) var entries: [Entry]

    /// The hosts of `workflow`'s steps, each step in the state `state(position)` gives.
    public init(workflow: Workflow, state: (Int) -> StepState) {
        var byHost: [String: [StepState]] = [:]
        for (position, step) in workflow.steps.enumerated() {
            guard let host = step.host else { continue }
            byHost[host, default: []].append(state(position))
        }
        entries = byHost.map { Entry(host: $0.key, states: $0.value) }.sorted { left, right in
            if left.hasFailure != right.hasFailure { return left.hasFailure }
            if left.isActive != right.isActive { return left.isActive }
            return left.host < right.host
        }
    }

    /// The hosts of a run's workflow as its journal folds them (instances of a dynamic fan-out
    /// included); a step the journal does not know yet is pending.
    public init(workflow: Workflow, run: RunState) {
        let expanded = run.expansions.isEmpty ? workflow : workflow.expanded(by: run.expansions)
        self.init(workflow: expanded) { run[expanded.steps[$0].id]?.state ?? .pending }
    }

    public var isEmpty: Bool { entries.isEmpty }
    /// Hosts with a step running, retrying, suspended or rolling back.
    public var activeHosts: Int { entries.filter(\.isActive).count }
    /// Hosts with a failed step (or a failed rollback).
    public var failedHosts: Int { entries.filter(\.hasFailure).count }

    /// The badges in at most `width` columns, as (text, state) pieces: `web1 ✔4 ▶1 · web2 ✘1`,
    /// each count in the colour of its state, and `+3 hosts` for those that do not fit.
    public func badges(width: Int, unicode: Bool) -> [(text: String, state: StepState?)] {
        var pieces: [(text: String, state: StepState?)] = []
        var used = 0
        let separator = unicode ? " · " : " | "
        for (index, entry) in entries.enumerated() {
            var entryPieces: [(text: String, state: StepState?)] = [(VisibleText.escape(entry.host), nil)]
            for piece in BadgeCounts.pieces(entry.states, unicode: unicode) {
                entryPieces.append((" " + piece.text, piece.state))
            }
            let lead = index == 0 ? "" : separator
            let entryWidth = TextWidth.of(lead) + entryPieces.reduce(0) { $0 + TextWidth.of($1.text) }
            let rest = entries.count - index - 1
            let moreWidth = rest > 0 ? TextWidth.of(separator + "+\(rest) hosts") : 0
            if used + entryWidth + moreWidth > width {
                let more = (index == 0 ? "" : separator) + "+\(entries.count - index) host\(entries.count - index == 1 ? "" : "s")"
                if used + TextWidth.of(more) <= width { pieces.append((more, nil)) }
                break
            }
            if !lead.isEmpty { pieces.append((lead, nil)) }
            pieces += entryPieces
            used += entryWidth
        }
        return pieces
    }

    /// `baton top`'s cell for a run on `hosts` hosts, `active` of them with a step at work and
    /// `failed` with a failure: `5 ▶2 ✘1`; empty for a run on no host.
    public static func summary(hosts: Int, active: Int, failed: Int, unicode: Bool) -> String {
        guard hosts > 0 else { return "" }
        var text = String(hosts)
        if active > 0 { text += " " + BadgeCounts.glyph(.running, unicode: unicode) + String(active) }
        if failed > 0 { text += " " + BadgeCounts.glyph(.failed, unicode: unicode) + String(failed) }
        return text
    }
}
