import BatonEngine
import Foundation

/// Asks the person at the terminal what to do about a headless run that waits for an
/// operator, one step at a time, and carries the answer out through the engine's commands.
///
/// It asks about a step that failed, was cancelled or interrupted, was rolled back or failed
/// to, or is held, and about a paused run. It offers only what `Plan.verdict` allows for that
/// step in the run as it stands, says what each answer does, and always offers to leave the
/// run waiting. Like `GateDecider`, it reads through an `AnswerReader`: a question is withdrawn
/// at once when its step changes some other way (a retry from elsewhere, the run interrupted).
actor OperatorPrompt {
    /// How one question ended.
    enum Outcome: Sendable, Equatable {
        /// The engine got a command (accepted or refused): the run goes on, or is asked about again.
        case acted
        /// The operator chose to leave the run waiting, or standard input closed.
        case leave
        /// The step asked about changed before an answer came.
        case withdrawn
        /// The run is being interrupted: nothing more is asked.
        case abandoned
        /// Nothing in the run is a question this prompt can ask (a gate is `GateDecider`'s).
        case nothingToAsk
    }

    /// One answer a question offers.
    struct Choice: Sendable, Equatable {
        var key: Character
        var action: OperatorAction
        /// The answer as the question line spells it: "[r]etry", "roll [b]ack the run".
        var label: String
        /// What it does, in the rule book's words.
        var effect: String
    }

    /// A question about one step, or about the run when `step` is nil.
    struct Question: Sendable, Equatable {
        var step: String?
        /// What the run waits on: "'smoke-test' failed: exit 1".
        var situation: String
        var choices: [Choice]
    }

    /// The answers a question may offer, in the order it offers them. `l` (leave it waiting)
    /// is always offered, last.
    private static let offers: [(key: Character, action: OperatorAction, label: String)] = [
        ("r", .retry, "[r]etry"),
        ("u", .rollback, "[u]ndo it again"),
        ("s", .skip, "[s]kip"),
        ("e", .release, "rel[e]ase it"),
        ("p", .resumeRun, "un[p]ause the run"),
        ("b", .rollbackRun, "roll [b]ack the run"),
    ]

    private let engine: Engine
    private let user: String
    private let printer: ProgressPrinter
    private let reader = AnswerReader()
    /// The question waiting for an answer now.
    private var asking: Question?
    /// Why the question about `asking` was withdrawn, once it was.
    private var withdrawal: String?
    private var abandoned = false

    init(engine: Engine, user: String, printer: ProgressPrinter) {
        self.engine = engine
        self.user = user
        self.printer = printer
    }

    /// The question to ask about `state`, or nil when nothing in it is for this prompt.
    static func question(about state: RunState, plan: Plan) -> Question? {
        for (index, record) in state.steps.enumerated() {
            guard let situation = situation(of: record, continuesOnError: plan.workflow.steps[index].continueOnError) else { continue }
            let offered = choices(for: index, in: state, plan: plan)
            if !offered.isEmpty { return Question(step: record.id, situation: situation, choices: offered) }
        }
        let offered = choices(for: nil, in: state, plan: plan)
        if state.isPaused && !offered.isEmpty { return Question(step: nil, situation: "the run is paused", choices: offered) }
        return nil
    }

    /// What a step in `record`'s state waits on, or nil when it waits on nothing a person decides
    /// but a gate (a question of `GateDecider`'s).
    static func situation(of record: StepRecord, continuesOnError: Bool) -> String? {
        let why = record.reason.map { ": \(ProgressPrinter.printable($0))" } ?? ""
        switch record.state {
        case .failed where !continuesOnError:
            return "'\(record.id)' failed" + (record.reason == nil ? record.exitCodes.last.map { " (exit \($0))" } ?? "" : why)
        case .cancelled: return "'\(record.id)' was cancelled"
        case .interrupted: return "'\(record.id)' was interrupted\(why)"
        case .rollbackFailed: return "the rollback of '\(record.id)' failed\(why)"
        case .rolledBack: return "'\(record.id)' was rolled back"
        case .held: return "'\(record.id)' is held"
        default: return nil
        }
    }

    /// The offers the rule book allows for step `index`, or for the run alone when `index` is nil.
    private static func choices(for index: Int?, in state: RunState, plan: Plan) -> [Choice] {
        offers.compactMap { offer in
            if index == nil && offer.action.isStepAction { return nil }
            guard case .allowed(let effect) = plan.verdict(on: offer.action, step: index ?? 0, in: state) else { return nil }
            return Choice(key: offer.key, action: offer.action, label: offer.label, effect: effect)
        }
    }

    /// Asks one question about the run as it stands and carries the answer out.
    func ask() async -> Outcome {
        guard !abandoned else { return .abandoned }
        let state = await engine.state
        let plan = Plan(workflow: engine.loadedWorkflow.expanded(by: state.expansions))
        guard let question = Self.question(about: state, plan: plan) else { return .nothingToAsk }
        let keys = question.choices.map { String($0.key) } + ["l"]
        var text = "\nthe run waits for an operator; the answers:\n"
        for choice in question.choices { text += "  \(choice.key)  \(choice.effect)\n" }
        text += "  l  the run ends waiting for an operator; baton resume \(state.runID) takes it up later\n"
        let labels = question.choices.map(\.label)
        text += "\(question.situation). " + (labels.isEmpty ? "" : labels.joined(separator: ", ") + ", or ") + "[l]eave it waiting? "
        asking = question
        withdrawal = nil
        reader.begin()
        Console.write(text, to: STDERR_FILENO)
        while true {
            let answer = await reader.read()
            guard !abandoned else {
                asking = nil
                return .abandoned
            }
            if let withdrawal {
                asking = nil
                Console.write("\n", to: STDERR_FILENO)
                printer.notice("\(withdrawal): the question is withdrawn")
                return .withdrawn
            }
            switch answer {
            case .withdrawn:
                asking = nil
                return .withdrawn
            case .endOfInput:
                asking = nil
                printer.notice("no answer: standard input closed; the run is left waiting for an operator")
                return .leave
            case .line(let line):
                let word = line.trimmingCharacters(in: .whitespaces).lowercased()
                if word.first == "l" {
                    asking = nil
                    return .leave
                }
                guard let choice = question.choices.first(where: { word.first == $0.key }) else {
                    Console.write("please answer \(keys.dropLast().joined(separator: ", ")) or l: ", to: STDERR_FILENO)
                    continue
                }
                asking = nil
                let result = await perform(choice.action, on: question.step)
                if !result.isAccepted { printer.notice(result.message) }
                return .acted
            }
        }
    }

    /// Takes note of a journal event: a question whose step changed, or whose run ended, is withdrawn.
    func observe(_ event: RunEvent) {
        guard let question = asking, withdrawal == nil else { return }
        let why: String
        switch event.kind {
        case .step where event.step != nil && event.step == question.step:
            why = "'\(event.step ?? "")' is now \(event.state?.phrase ?? "changed")" + (event.reason.map { " (\(ProgressPrinter.printable($0)))" } ?? "")
        case .runResumed where question.step == nil:
            why = "the run was resumed"
        case .runFinished:
            why = "the run \(event.outcome?.words ?? "ended")"
        default:
            return
        }
        withdrawal = why
        reader.withdraw()
    }

    /// Stops asking (the run is being interrupted): the question waiting now ends at once.
    func abandon() {
        abandoned = true
        reader.withdraw()
    }

    private func perform(_ action: OperatorAction, on step: String?) async -> CommandResult {
        await engine.perform(OperatorCommand(action, step: step), by: user)
    }
}
