import BatonEngine
import Foundation

/// Decides approval gates for a headless run: from the command line, by asking at the
/// terminal, or — with nobody to ask — by rejecting them with a clear message.
actor GateDecider {
    private let engine: Engine
    private let user: String
    private let approveAll: Bool
    private let approved: Set<String>
    private let printer: ProgressPrinter
    private let interactive = Console.stdinIsInteractive
    /// Gates already decided (or asked about); each gets one decision per opening.
    private var handled: Set<String> = []
    private var queue: [String] = []
    private var prompting = false
    private var promptWaiters: [CheckedContinuation<Void, Never>] = []

    init(engine: Engine, user: String, approveAll: Bool, approved: Set<String>, printer: ProgressPrinter) {
        self.engine = engine
        self.user = user
        self.approveAll = approveAll
        self.approved = approved
        self.printer = printer
    }

    /// True while a question is waiting for the person at the terminal.
    var isPrompting: Bool { prompting || !queue.isEmpty }

    /// Decides a gate that just opened.
    func decide(_ step: String) async {
        guard handled.insert(step).inserted else { return }
        if approveAll || approved.contains(step) {
            let flag = approveAll ? "--approve-all" : "--approve \(step)"
            let result = await engine.approve(step, by: user, comment: "approved on the command line (\(flag))")
            if !result.isAccepted { printer.notice("could not approve '\(step)': \(result.message)") }
            return
        }
        if interactive {
            queue.append(step)
            if !prompting { await promptNext() }
            return
        }
        // Baton decides this, not the user who started the run: it is audited as `baton`.
        let reason = "no operator: stdin is not interactive; pass --approve \(step) or --approve-all"
        let result = await engine.rejectWithoutOperator(step, reason: reason)
        printer.notice(result.isAccepted ? "gate '\(step)' rejected: \(reason)" : result.message)
    }

    /// Decides every gate that is waiting and not yet handled; true if there was one.
    func decideWaiting() async -> Bool {
        let waiting = await engine.state.steps.filter { $0.state == .waiting && !handled.contains($0.id) }.map(\.id)
        for step in waiting { await decide(step) }
        return !waiting.isEmpty
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
        wakeWaiters()
    }

    private func promptNext() async {
        while !queue.isEmpty {
            let step = queue.removeFirst()
            prompting = true
            let gate = engine.displayWorkflow[step]?.approval
            var question = "\napproval needed: '\(step)'"
            if let prompt = gate?.prompt { question += " — \(prompt)" }
            if let approvers = gate?.approvers, !approvers.isEmpty { question += "\n  approvers: \(approvers.joined(separator: ", "))" }
            question += "\n  approve? y = approve, n = reject; a comment may follow (\"y looks good\"): "
            Console.write(question, to: STDERR_FILENO)
            let answer = await Self.readAnswer()
            guard prompting else { return }
            let words = (answer ?? "").trimmingCharacters(in: .whitespaces)
            let verdict = words.split(separator: " ", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            let comment = words.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init)
            let result: CommandResult
            if verdict == "y" || verdict == "yes" {
                result = await engine.approve(step, by: user, comment: comment)
            } else if answer == nil {
                result = await engine.rejectWithoutOperator(step, reason: "no answer: standard input closed")
            } else {
                result = await engine.reject(step, by: user, comment: comment)
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

    /// Reads one line from standard input on a thread of its own; nil at end of input.
    private static func readAnswer() async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: readLine(strippingNewline: true))
            }
        }
    }
}
