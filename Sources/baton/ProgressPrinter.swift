import BatonConsole
import BatonEngine
import Foundation
import Synchronization

/// Prints a headless run's progress: one line per state change, or JSON lines with `--events jsonl`.
///
/// With `jsonl`, stdout carries only journal events and everything for people goes to stderr.
final class ProgressPrinter: Sendable {
    private let workflow: Workflow
    private let jsonl: Bool
    private let showLogs: Bool
    private let width: Int
    private let lock = Mutex(())

    init(workflow: Workflow, jsonl: Bool, showLogs: Bool) {
        self.workflow = workflow
        self.jsonl = jsonl
        self.showLogs = showLogs
        self.width = min(28, workflow.steps.map(\.id.count).max() ?? 8)
    }

    /// A message for the person running Baton.
    func notice(_ text: String) {
        notice(lines: [text])
    }

    /// A message of several lines, written together so that no progress line comes between them.
    func notice(lines: [String]) {
        let text = lines.map { "baton: \($0)" }.joined(separator: "\n")
        lock.withLock { _ in
            if jsonl { Console.error(text) } else { Console.out(text) }
        }
    }

    /// Shows one engine update.
    func show(_ update: EngineUpdate) {
        switch update {
        case .event(let event):
            if jsonl {
                let line = String(decoding: event.jsonLine(), as: UTF8.self)
                lock.withLock { _ in Console.out(line) }
            } else if let line = describe(event) {
                lock.withLock { _ in Console.out(line) }
            }
        case .recordingFailed(let problem):
            lock.withLock { _ in
                Console.error("baton: the run can no longer be recorded: \(Self.printable(problem))")
                Console.error("baton: nothing new starts; steps already running are let finish")
            }
        case .notificationFailed(let problem):
            lock.withLock { _ in Console.error("baton: \(Self.printable(problem))") }
        case .output(let chunk):
            guard showLogs else { return }
            // One write for the chunk's lines: a chatty step sends many lines at once.
            let prefix = "\(clock(chunk.time.timeIntervalSince1970))  \(pad(chunk.stepID)) \(chunk.stream == .stderr ? "!" : "|") "
            let text = chunk.lines.map { prefix + VisibleText.escape($0, limit: .max) }.joined(separator: "\n")
            lock.withLock { _ in if jsonl { Console.error(text) } else { Console.out(text) } }
        }
    }

    private func describe(_ event: RunEvent) -> String? {
        let time = clock(event.time)
        switch event.kind {
        case .step:
            guard let id = event.step, let state = event.state else { return nil }
            var detail = state.rawValue
            if let reason = event.reason { detail += ": \(reason)" }
            if let code = event.exitCode, state == .failed, event.reason == nil { detail += " (exit \(code))" }
            return "\(time)  \(Self.glyph(state)) \(pad(id)) \(Self.printable(detail))"
        case .command:
            let what = [event.command, event.step.map { "'\($0)'" }].compactMap { $0 }.joined(separator: " ")
            let verdict = event.accepted == true ? "accepted" : "refused: \(event.reason ?? "")"
            return "\(time)  » \(what) by \(event.user ?? "?") — \(Self.printable(verdict))"
        case .runPaused: return "\(time)  ‖ run paused"
        case .runResumed: return "\(time)  ▶ run resumed"
        case .runHalted: return "\(time)  ■ run halted: \(Self.printable(event.reason ?? ""))"
        case .runReopened:
            if let previous = event.outcome, !previous.isUnfinished {
                return "\(time)  ⟳ run reopened by \(event.user ?? "?") (it had \(previous.words)) to \(Self.printable(event.comment ?? "act on it"))"
            }
            return "\(time)  ⟳ run resumed by \(event.user ?? "?")" + (event.reason.map { "; \(Self.printable($0))" } ?? "")
        case .runWaiting:
            return "\(time)  ⏸ waiting for an operator: \(Self.printable((event.reasons ?? []).joined(separator: "; ")))"
        case .rollbackPlanned:
            return "\(time)  ↶ rollback planned: \((event.steps ?? []).joined(separator: " → "))"
        case .approvalTimedOut:
            let id = event.step ?? "?"
            let why = Self.printable(event.reason ?? "no decision in time")
            if let approvers = event.approvers {
                return "\(time)  ⏲ \(pad(id)) \(why): escalated to \(Self.printable(ApprovalGate.describe(approvers)))"
            }
            return "\(time)  ⏲ \(pad(id)) \(why): the gate is rejected"
        case .fanOutExpanded:
            let instances = event.steps ?? []
            let shown = instances.prefix(5).joined(separator: ", ") + (instances.count > 5 ? ", …" : "")
            return "\(time)  ⑂ \(pad(event.step ?? "?")) fanned out to \(instances.count) instance\(instances.count == 1 ? "" : "s")" + (instances.isEmpty ? "" : ": \(Self.printable(shown))")
        case .runStarted, .runFinished: return nil
        }
    }

    /// The final summary: outcome, duration, counts, and what went wrong.
    func summary(_ state: RunState, directory: RunDirectory) {
        let duration = (state.finishedAt ?? RunEvent.now()) - (state.startedAt ?? RunEvent.now())
        var lines: [String] = []
        lines.append("")
        lines.append("run \(state.runID) \(state.status.words) in \(String(format: "%.1f", duration))s")
        let counts = state.countsByState
        let order: [StepState] = StepState.allCases
        lines.append("  " + order.compactMap { state in counts[state].map { "\(state.rawValue) \($0)" } }.joined(separator: " · "))
        let worthTelling: Set<StepState> = [.failed, .rollbackFailed, .cancelled, .interrupted]
        for record in state.steps where worthTelling.contains(record.state) {
            lines.append("  \(Self.glyph(record.state)) \(record.id): \(Self.printable(record.reason ?? record.state.rawValue))")
            for line in Self.tail(of: "\(directory.logsPath)/\(record.id).log", lines: 5) {
                lines.append("      │ \(line)")
            }
        }
        lines.append("  journal: \(directory.eventsPath)")
        lines += Self.takeUpHints(for: state).map { "  " + $0 }
        let text = lines.joined(separator: "\n")
        lock.withLock { _ in if jsonl { Console.error(text) } else { Console.out(text) } }
    }

    /// The commands that take a run up again, as far as its state allows them: a resume of an
    /// unfinished run, and the reopening commands for the steps that need someone.
    static func takeUpHints(for state: RunState) -> [String] {
        guard state.isResumable || state.isReopenable else { return [] }
        let id = state.runID
        var hints: [String] = []
        if state.isResumable {
            hints.append(state.outcome == .waitingForOperator
                ? "baton resume \(id) takes it up: it asks at a terminal what to do, or opens the console"
                : "baton resume \(id) continues it")
        }
        let stalled = state.steps.filter { [.failed, .cancelled, .blocked, .interrupted].contains($0.state) }
        if !stalled.isEmpty {
            hints.append("baton resume \(id) --retry-failed runs the failed steps again (steps that succeeded do not run again)")
        }
        let skippable = state.steps.filter { [.failed, .cancelled, .interrupted].contains($0.state) }.map(\.id)
        if !skippable.isEmpty {
            hints.append("baton resume \(id) --skip STEP skips one so the steps after it go on (\(skippable.joined(separator: ", ")))")
        }
        if state.steps.contains(where: { $0.state == .succeeded || $0.state == .rollbackFailed }) {
            hints.append("baton rollback \(id) [STEP] rolls back the run, or one step and what depends on it")
        }
        return hints
    }

    private func pad(_ id: String) -> String {
        id.count >= width ? id : id + String(repeating: " ", count: width - id.count)
    }

    private func clock(_ time: Double) -> String {
        Self.clock(time)
    }

    /// A time as the progress lines give it: local, "14:03:07.250".
    static func clock(_ time: Double) -> String {
        var seconds = time_t(time)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let millis = Int((time - Double(seconds)) * 1000)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)"
    }

    /// The state's mark in progress lines.
    static func glyph(_ state: StepState) -> String { state.mark }

    /// Text with escape sequences and control characters shown as visible escapes (the
    /// console's notation, `VisibleText`), so step output cannot drive the terminal. Nothing
    /// is cut: a headless log keeps whole lines.
    static func printable(_ text: String) -> String {
        VisibleText.escape(text, limit: .max)
    }

    /// The last lines of a step's log, without their timestamps, escaped for the terminal.
    /// Only the end of the log is read (`StepLogStore.readLines`), however large it grew.
    static func tail(of path: String, lines count: Int) -> [String] {
        StepLogStore.readLines(path: path, stepID: "", limit: count, maximumBytes: 64 * 1024).map { line in
            "\(line.stream == .stderr ? "!" : " ") \(VisibleText.escape(line, limit: .max))"
        }
    }
}
