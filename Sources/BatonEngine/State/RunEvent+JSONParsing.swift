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
                case "definition_parts": guard let value = parser.mapping() else { return nil }; event.definitionParts = value
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

/// The pieces of JSON a journal line is made of, read from bytes; each read returns nil (and
/// the line goes to `JSONDecoder`) where the text is not what Baton writes.
///
/// Every watcher and every attach reads each event through here, so it allocates only for
/// the values it returns.
private struct FlatJSONParser {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        skipSpace()
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = text.withUTF8Buffer { literal in
            (0..<count).allSatisfy { literal[$0] == bytes[index + $0] }
        }
        if matches { index += count }
        return matches
    }

    mutating func null() -> Bool { literal("null") }

    mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    /// A whole number without fraction or exponent, that fits an `Int`.
    mutating func integer() -> Int? {
        skipSpace()
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value = 0
        let digits = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int(bytes[index] - 0x30) * (negative ? -1 : 1))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
            index += 1
        }
        guard index > digits, index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
        default: return value
        }
    }

    /// A number as `Double` reads it (the journal writes times at their shortest exact form).
    mutating func double() -> Double? {
        skipSpace()
        let start = index
        scan: while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                 UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                break scan
            }
        }
        guard index > start else { return nil }
        return Double(String(decoding: bytes[start..<index], as: UTF8.self)).flatMap { $0.isFinite ? $0 : nil }
    }

    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        // Most strings have no escape and are ASCII: they are taken as they stand.
        let start = index
        var ascii = true
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                // Text that is not ASCII must be valid UTF-8, as JSONDecoder requires.
                return ascii
                    ? bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<index]), as: UTF8.self) }
                    : String(validating: bytes[start..<index], as: UTF8.self)
            case UInt8(ascii: "\\"):
                return escapedString(from: start)
            case 0x00..<0x20:
                return nil
            case 0x80...:
                ascii = false
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }

    /// The rest of a string that has an escape in it, from its first byte at `start`.
    private mutating func escapedString(from start: Int) -> String? {
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    // Baton writes \u only for control characters; anything past them is left to JSONDecoder.
                    guard index + 4 <= bytes.count, let value = UInt8(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
                          value < 0x20 else { return nil }
                    out.append(value)
                    index += 4
                default:
                    return nil
                }
            case 0x00..<0x20:
                return nil
            default:
                out.append(byte)
            }
        }
        return nil
    }

    mutating func strings() -> [String]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var items: [String] = []
        if consume(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = string() else { return nil }
            items.append(item)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? items : nil
    }

    mutating func mapping() -> [String: String]? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var entries: [String: String] = [:]
        if consume(UInt8(ascii: "}")) { return entries }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")), let value = string(), entries[key] == nil else { return nil }
            entries[key] = value
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? entries : nil
    }
}
