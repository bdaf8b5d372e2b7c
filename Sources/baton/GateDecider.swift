import BatonEngine
import Foundation

/// Decides approval gates for a headless run: from the command line, or by asking at the
/// terminal; with nobody at the terminal, it says how to decide them from another one and
/// leaves them to wait (until their timeout), and with nobody at all (`--unattended`) it
/// rejects them with a clear message.
actor GateDecider {
    private let engine: Engine
    private let user: String
    private let approveAll: Bool
    private let approved: Set<String>
    private let printer: ProgressPrinter
    private let attendance: Attendance
    private let remote: RemoteActions
    private let reader = AnswerReader()
    /// Gates already decided (or asked about); each gets one decision per opening.
    private var handled: Set<String> = []
    private var queue: [String] = []
    private var prompting = false
    /// The gate whose question waits for an answer at the terminal now.
    private var asking: String?
    /// Why the question about `asking` was withdrawn, once it was.
    private var withdrawal: String?
    private var promptWaiters: [CheckedContinuation<Void, Never>] = []

    init(
        engine: Engine, user: String, approveAll: Bool, approved: Set<String>, attendance: Attendance, remote: RemoteActions,
        printer: ProgressPrinter
    ) {
        self.engine = engine
        self.user = user
        self.approveAll = approveAll
        self.approved = approved
        self.attendance = attendance
        self.remote = remote
        self.printer = printer
    }

    /// True while a question is waiting for the person at the terminal.
    var isPrompting: Bool { prompting || !queue.isEmpty }

    /// Decides a gate that just opened. A question at the terminal is asked on a task of its
    /// own, so the caller (the loop that prints events) goes on and can withdraw it.
    func decide(_ step: String) async {
        guard handled.insert(step).inserted else { return }
        if approveAll || approved.contains(step) {
            let flag = approveAll ? "--approve-all" : "--approve \(step)"
            let result = await engine.approve(step, by: user, comment: "approved on the command line (\(flag))")
            guard !result.isAccepted else { return }
            printer.notice("could not approve '\(step)': \(result.message)")
            // Someone the gate names may still come from another terminal.
            if attendance == .otherTerminals { await announce(step) }
            return
        }
        switch attendance {
        case .terminal:
            queue.append(step)
            if !prompting {
                prompting = true
                Task { await self.promptNext() }
            }
        case .otherTerminals:
            await announce(step)
        case .nobody(let why):
            // Baton decides this, not the user who started the run: it is audited as `baton`.
            let reason = "no operator: \(why); pass --approve \(step) or --approve-all"
            let result = await engine.rejectWithoutOperator(step, reason: reason)
            printer.notice(result.isAccepted ? "gate '\(step)' rejected: \(reason)" : result.message)
        }
    }

    /// Says how to decide the gate of `step` from another terminal, and when its timeout
    /// decides it otherwise; nothing once the gate no longer waits.
    private func announce(_ step: String) async {
        if let notice = remote.gateNotice(step, in: await engine.state) { printer.notice(notice) }
    }

    /// Decides every gate that is waiting and not yet handled; true if there was one.
    func decideWaiting() async -> Bool {
        let waiting = await engine.state.steps.filter { $0.state == .waiting && !handled.contains($0.id) }.map(\.id)
        for step in waiting { await decide(step) }
        return !waiting.isEmpty
    }

    /// Takes note of a journal event: a gate that timed out, or left its wait some other way,
    /// no longer needs an answer, so its question ends at once (or is never asked). A gate
    /// that escalated is announced again to other terminals, with its new deadline.
    func observe(_ event: RunEvent) async {
        guard let step = event.step else { return }
        let why: String
        switch event.kind {
        case .approvalTimedOut where event.approvers != nil:
            if attendance == .otherTerminals && handled.contains(step) { await announce(step) }
            return
        case .approvalTimedOut:
            why = "gate '\(step)' timed out (\(event.reason ?? "no decision in time")) and is rejected"
        case .step where event.state != .waiting:
            why = "gate '\(step)' no longer waits for approval (\(event.reason ?? event.state?.rawValue ?? "decided"))"
        default:
            return
        }
        queue.removeAll { $0 == step }
        // Decided per opening: a gate that opens again (a retry) is asked about again.
        if event.kind == .step { handled.remove(step) }
        guard asking == step, withdrawal == nil else { return }
        withdrawal = why
        reader.withdraw()
    }

    /// Returns when the current question has been answered or abandoned.
    func waitForPrompt() async {
        guard isPrompting else { return }
        await withCheckedContinuation { promptWaiters.append($0) }
    }

    /// Stops waiting for answers (the run is being cancelled).
    func abandon() {
        queue.removeAll()
        prompting = false
        reader.withdraw()
        wakeWaiters()
    }

    private func promptNext() async {
        while prompting, !queue.isEmpty {
            let step = queue.removeFirst()
            asking = step
            withdrawal = nil
            reader.begin()
            let gate = engine.displayWorkflow.expanded(by: await engine.state.expansions)[step]?.approval
            var question = "\napproval needed: '\(step)'"
            if let prompt = gate?.prompt { question += " — \(prompt)" }
            if let approvers = gate?.approvers, !approvers.isEmpty { question += "\n  approvers: \(approvers.joined(separator: ", "))" }
            question += "\n  approve? y = approve, n = reject; a comment may follow (\"y looks good\"): "
            Console.write(question, to: STDERR_FILENO)
            let answer = await reader.read()
            asking = nil
            guard prompting else { return }
            if let withdrawal {
                Console.write("\n", to: STDERR_FILENO)
                printer.notice("\(withdrawal): the question is withdrawn")
                continue
            }
            let result: CommandResult
            switch answer {
            case .line(let line):
                let words = line.trimmingCharacters(in: .whitespaces)
                let verdict = words.split(separator: " ", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                let comment = words.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init)
                if verdict == "y" || verdict == "yes" {
                    result = await engine.approve(step, by: user, comment: comment)
                } else {
                    result = await engine.reject(step, by: user, comment: comment)
                }
            case .endOfInput:
                result = await engine.rejectWithoutOperator(step, reason: "no answer: standard input closed")
            case .withdrawn:
                // Withdrawn by `abandon()`: `prompting` is false and the loop ends.
                continue
            }
            if !result.isAccepted { printer.notice(result.message) }
        }
        prompting = false
        wakeWaiters()
    }

    private func wakeWaiters() {
        let waiters = promptWaiters
        promptWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}
