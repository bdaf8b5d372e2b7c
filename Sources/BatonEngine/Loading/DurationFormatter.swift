/// Writes durations the way workflow files spell them, such as `250ms`, `1.5s`, `2m` or `1h30m`.
///
/// Below a second the text is in milliseconds (down to the nanosecond), below a minute in seconds
/// rounded to the millisecond, and above that in hours, minutes and seconds. Every result of a
/// non-negative duration reads back with ``DurationParser``.
package enum DurationFormatter {
    /// The duration as short text.
    package static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
        if nanoseconds < 0 { return "-" + format(nanoseconds: -nanoseconds) }
        return format(nanoseconds: nanoseconds)
    }

    private static func format(nanoseconds: Int128) -> String {
        if nanoseconds == 0 { return "0s" }
        if nanoseconds < 1_000_000_000 {
            return decimal(nanoseconds, unit: 1_000_000, fractionDigits: 6) + "ms"
        }
        let milliseconds = (nanoseconds + 500_000) / 1_000_000
        if milliseconds < 60_000 {
            return decimal(milliseconds, unit: 1_000, fractionDigits: 3) + "s"
        }
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds % 3_600_000 / 60_000
        let rest = milliseconds % 60_000
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 { text += decimal(rest, unit: 1_000, fractionDigits: 3) + "s" }
        return text
    }

    /// `value / unit` in decimal, with trailing zeros of the fraction dropped.
    private static func decimal(_ value: Int128, unit: Int128, fractionDigits: Int) -> String {
        let whole = value / unit
        let fraction = value % unit
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: max(0, fractionDigits - digits.count)) + digits
        while digits.last == "0" { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
