import Yams

/// Decoding of `notify:`, the commands run on the run's events.
extension WorkflowDecoder {
    /// `notify:`, a list of mappings with `run`, `events`, `timeout` and `retry`.
    func notifications(_ node: Node) -> [NotificationCommand] {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            report("'notify' must be a list of mappings with keys 'run', 'events', 'timeout' and 'retry', not \(describe(node))", at: node)
            return []
        }
        var commands: [NotificationCommand] = []
        for (position, item) in sequence.enumerated() {
            if let command = notification(item, label: "notify[\(position + 1)]") { commands.append(command) }
        }
        return commands
    }

    /// One entry of `notify:`; nil when it has a problem.
    private func notification(_ node: Node, label: String) -> NotificationCommand? {
        guard case .mapping = node else {
            report("each entry of 'notify' must be a mapping with keys 'run', 'events', 'timeout' and 'retry', not \(describe(node))", at: node)
            return nil
        }
        var run: String?
        var events = NotificationEvent.allCases
        var timeout = NotificationCommand.defaultTimeout
        var retry = RetryPolicy.none
        var valid = true
        let table = WorkflowFormat.notification
        for field in entries(of: node) {
            guard let key = field.key else {
                report("keys must be plain strings, not \(describe(field.keyNode))", at: field.keyNode)
                valid = false
                continue
            }
            guard table.contains(key) else {
                reportUnknownKey(key, at: field.keyNode, in: "in '\(label)'", allowed: table.names)
                valid = false
                continue
            }
            let fieldLabel = FieldLabel(key, parent: label)
            switch key {
            case "run":
                guard let text = string(field.value, fieldLabel) else {
                    valid = false
                    continue
                }
                if text.allSatisfy(\.isWhitespace) {
                    report("\(fieldLabel) is empty; give the command to run", at: field.value)
                    valid = false
                } else {
                    run = text
                }
            case "events":
                if isNull(field.value) { continue }
                if let chosen = notificationEvents(field.value, fieldLabel) { events = chosen } else { valid = false }
            case "timeout":
                if isNull(field.value) { continue }
                if let duration = duration(field.value, fieldLabel, allowZero: false) { timeout = duration } else { valid = false }
            case "retry":
                if isNull(field.value) { continue }
                if let policy = retryPolicy(field.value, fieldLabel) { retry = policy } else { valid = false }
            default:
                // A key of the table that nothing above reads: not part of the format yet.
                reportUnknownKey(key, at: field.keyNode, in: "in '\(label)'", allowed: table.names)
                valid = false
            }
        }
        guard let run else {
            if valid { report("'\(label)' has no 'run': give the command to run", at: node) }
            return nil
        }
        return valid ? NotificationCommand(run: run, events: events, timeout: timeout, retry: retry) : nil
    }

    /// The event names of an entry's `events:`: a list, or one name alone.
    private func notificationEvents(_ node: Node, _ label: FieldLabel) -> [NotificationEvent]? {
        guard let items = stringList(node, label, of: "event names", allowSingle: true) else { return nil }
        let names = NotificationEvent.allCases.map(\.rawValue)
        var events: [NotificationEvent] = []
        var valid = true
        for (name, item) in items {
            guard let event = NotificationEvent(rawValue: name) else {
                let hint = Suggestion.hint(for: name, among: names)
                report("\(label) lists '\(Self.abbreviated(name))', which is not an event; events are \(names.joined(separator: ", "))\(hint)", at: item)
                valid = false
                continue
            }
            if events.contains(event) {
                report("\(label) lists '\(name)' twice", at: item)
                valid = false
                continue
            }
            events.append(event)
        }
        if valid && events.isEmpty {
            report("\(label) is empty; leave it out to be notified of every event", at: node)
            valid = false
        }
        return valid ? events : nil
    }
}
