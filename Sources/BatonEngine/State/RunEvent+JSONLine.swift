/// The journal's line format for an event, written without `JSONEncoder`.
///
/// The journal writer encodes every event of a run, and `JSONEncoder` costs more per event
/// than starting a quick step's bookkeeping. This writes the same bytes that
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes: keys in sorted
/// order, absent fields left out, strings escaped the same way. A test holds the two equal.
extension RunEvent {
    /// The event as one line of JSON, without the trailing newline (with room for it).
    public func jsonLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedLineLength + 1)
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        func string(_ text: String) { Self.appendJSONString(text, to: &out) }
        func number<N: BinaryInteger>(_ value: N) { out.append(contentsOf: String(value).utf8) }
        func strings(_ items: [String]) {
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(item)
            }
            out.append(UInt8(ascii: "]"))
        }
        func mapping(_ entries: [String: String]) {
            out.append(UInt8(ascii: "{"))
            for (index, name) in entries.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(name)
                out.append(UInt8(ascii: ":"))
                string(entries[name] ?? "")
            }
            out.append(UInt8(ascii: "}"))
        }

        if let accepted { key("accepted"); out.append(contentsOf: (accepted ? "true" : "false").utf8) }
        if let approvers { key("approvers"); strings(approvers) }
        if let attempt { key("attempt"); number(attempt) }
        if let command { key("command"); string(command) }
        if let comment { key("comment"); string(comment) }
        if let compensate { key("compensate"); out.append(contentsOf: (compensate ? "true" : "false").utf8) }
        if let concurrency { key("concurrency"); number(concurrency) }
        if let definitionDigest { key("definition_digest"); string(definitionDigest) }
        if let definitionParts { key("definition_parts"); out.append(contentsOf: definitionParts.json) }
        if let exitCode { key("exit_code"); number(exitCode) }
        if let format { key("format"); number(format) }
        if let handle { key("handle"); string(handle) }
        if let items { key("items"); strings(items) }
        key("kind"); string(kind.rawValue)
        if let outcome { key("outcome"); string(outcome.rawValue) }
        if let outputs { key("outputs"); mapping(outputs) }
        if let params { key("params"); mapping(params) }
        if let reason { key("reason"); string(reason) }
        if let reasons { key("reasons"); strings(reasons) }
        if let runID { key("run_id"); string(runID) }
        key("seq"); number(seq)
        if let simulated { key("simulated"); out.append(contentsOf: (simulated ? "true" : "false").utf8) }
        if let state { key("state"); string(state.rawValue) }
        if let step { key("step"); string(step) }
        if let steps { key("steps"); strings(steps) }
        key("time"); out.append(contentsOf: Self.jsonNumber(time).utf8)
        if let user { key("user"); string(user) }
        if let workflow { key("workflow"); string(workflow) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// About how long the event's line is: a run's `run_started` names every step and holds
    /// a digest of every field, a megabyte at 10,000 steps, and a line grown by doubling
    /// would briefly hold three times that.
    private var estimatedLineLength: Int {
        // Spelt out, not looped over an array of the fields: every event of a run comes here.
        var length = 256
        if let reason { length += reason.utf8.count }
        if let comment { length += comment.utf8.count }
        if let command { length += command.utf8.count }
        if let steps { length += Self.estimatedLength(of: steps) }
        if let items { length += Self.estimatedLength(of: items) }
        if let reasons { length += Self.estimatedLength(of: reasons) }
        if let definitionParts { length += definitionParts.json.count }
        if let outputs { length += Self.estimatedLength(of: outputs) }
        if let params { length += Self.estimatedLength(of: params) }
        return length
    }

    private static func estimatedLength(of list: [String]) -> Int {
        list.reduce(0) { $0 + $1.utf8.count + 3 }
    }

    private static func estimatedLength(of entries: [String: String]) -> Int {
        entries.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 }
    }

    /// A double as JSON writes it: whole values without a fraction, others at their
    /// shortest exact form.
    static func jsonNumber(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else (slashes and non-ASCII included) as it is.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        appendJSONString(utf8: text.utf8, to: &out)
    }

    /// The same for text given as its UTF-8.
    static func appendJSONString<Bytes: Collection<UInt8>>(utf8 text: Bytes, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
