/// Reads durations written as `500ms`, `30s`, `5m`, `1h`, `1.5s` or `1m30s`.
///
/// A duration is one or more parts, each a number (with an optional fraction) followed by a unit:
/// `ms`, `s`, `m` or `h`. A bare `0` is also accepted. Negative values, empty text, missing or
/// unknown units and values longer than about 292 years are rejected.
package enum DurationParser {
    /// The duration written in `text`, or nil if it is not a valid duration.
    package static func parse(_ text: String) -> Duration? {
        let bytes = Array(text.utf8.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed())
        guard !bytes.isEmpty else { return nil }
        if bytes == [0x30] { return .zero }
        var index = 0
        var total: Int128 = 0
        while index < bytes.count {
            // The whole part: 1 to 20 digits.
            let wholeStart = index
            var whole: Int128 = 0
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                whole = whole * 10 + Int128(digit)
                index += 1
                if index - wholeStart > 20 { return nil }
            }
            guard index > wholeStart else { return nil }
            // The fraction: digits past the 18th are dropped, being far below a nanosecond.
            var fraction: Int128 = 0
            var fractionScale: Int128 = 1
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, let digit = digitValue(bytes[index]) {
                    if index - fractionStart < 18 {
                        fraction = fraction * 10 + Int128(digit)
                        fractionScale *= 10
                    }
                    index += 1
                }
                guard index > fractionStart else { return nil }
            }
            // The unit.
            let unitStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "a"), bytes[index] <= UInt8(ascii: "z") { index += 1 }
            guard let nanosecondsPerUnit = unitNanoseconds(bytes[unitStart..<index]) else { return nil }
            total += whole * nanosecondsPerUnit + fraction * nanosecondsPerUnit / fractionScale
            guard total <= Int128(Int64.max) else { return nil }
        }
        return .nanoseconds(Int64(total))
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func unitNanoseconds(_ unit: ArraySlice<UInt8>) -> Int128? {
        switch String(decoding: unit, as: UTF8.self) {
        case "ms": return 1_000_000
        case "s": return 1_000_000_000
        case "m": return 60_000_000_000
        case "h": return 3_600_000_000_000
        default: return nil
        }
    }
}
