/// Reads a journal line back without `JSONDecoder`, for the lines Baton writes.
///
/// A 10,000-step run's journal has tens of thousands of lines, and `JSONDecoder` costs more
/// per line than anything else an attach or a resume does with it. This reads a flat object of
/// the event's own keys; anything else — an unknown key, a value of another type, a number or
/// string it does not read exactly as `JSONDecoder` would — makes it give up (nil), and the
/// caller decodes the line with `JSONDecoder`. A test holds the two equal on every fixture.
extension RunEvent {
    /// The event a journal line holds, or nil when this reader leaves the line to `JSONDecoder`.
    public init?(journalLine line: some Collection<UInt8>) {
        var parser = FlatJSONParser(Array(line))
        var event = RunEvent(seq: -1, time: .nan, kind: .step)
        var seen = (seq: false, time: false, kind: false)
        guard parser.consume(UInt8(ascii: "{")) else { return nil }
        if !parser.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = parser.string(), parser.consume(UInt8(ascii: ":")) else { return nil }
                if parser.null() {
                    if key == "seq" || key == "time" || key == "kind" { return nil }
                    continue
                }
                switch key {
                case "seq": guard let value = parser.integer() else { return nil }; event.seq = value; seen.seq = true
                case "time": guard let value = parser.double() else { return nil }; event.time = value; seen.time = true
                case "kind": guard let value = parser.string().flatMap(Kind.init(rawValue:)) else { return nil }; event.kind = value; seen.kind = true
                case "step": guard let value = parser.string() else { return nil }; event.step = value
                case "state": guard let value = parser.string().flatMap(StepState.init(rawValue:)) else { return nil }; event.state = value
                case "attempt": guard let value = parser.integer() else { return nil }; event.attempt = value
                case "exit_code": guard let value = parser.integer().flatMap(Int32.init(exactly:)) else { return nil }; event.exitCode = value
                case "outputs": guard let value = parser.mapping() else { return nil }; event.outputs = value
                case "reason": guard let value = parser.string() else { return nil }; event.reason = value
                case "command": guard let value = parser.string() else { return nil }; event.command = value
                case "user": guard let value = parser.string() else { return nil }; event.user = value
                case "comment": guard let value = parser.string() else { return nil }; event.comment = value
                case "accepted": guard let value = parser.bool() else { return nil }; event.accepted = value
                case "approvers": guard let value = parser.strings() else { return nil }; event.approvers = value
                case "run_id": guard let value = parser.string() else { return nil }; event.runID = value
                case "workflow": guard let value = parser.string() else { return nil }; event.workflow = value
                case "steps": guard let value = parser.strings() else { return nil }; event.steps = value
                case "concurrency": guard let value = parser.integer() else { return nil }; event.concurrency = value
                case "outcome": guard let value = parser.string().flatMap(RunOutcome.init(rawValue:)) else { return nil }; event.outcome = value
                case "simulated": guard let value = parser.bool() else { return nil }; event.simulated = value
                case "format": guard let value = parser.integer() else { return nil }; event.format = value
                case "compensate": guard let value = parser.bool() else { return nil }; event.compensate = value
                case "reasons": guard let value = parser.strings() else { return nil }; event.reasons = value
                case "items": guard let value = parser.strings() else { return nil }; event.items = value
                case "handle": guard let value = parser.string() else { return nil }; event.handle = value
                case "definition_digest": guard let value = parser.string() else { return nil }; event.definitionDigest = value
                case "definition_parts": guard let value = parser.mapping() else { return nil }; event.definitionParts = DefinitionParts(value)
                case "params": guard let value = parser.mapping() else { return nil }; event.params = value
                default: return nil
                }
            } while parser.consume(UInt8(ascii: ","))
            guard parser.consume(UInt8(ascii: "}")) else { return nil }
        }
        guard parser.atEnd, seen.seq, seen.time, seen.kind else { return nil }
        self = event
    }
}
