/// The pieces of JSON a journal line is made of, read from bytes; each read returns nil (and
/// the line goes to `JSONDecoder`) where the text is not what Baton writes.
///
/// Every watcher and every attach reads each event through here, so it allocates only for
/// the values it returns.
struct FlatJSONParser {
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
