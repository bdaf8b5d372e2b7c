import Foundation

/// How every `--json` output is written: one JSON document on one line of stdout, as the
/// journal and the host protocol write theirs — keys in snake_case, sorted — with its times
/// as ISO 8601 UTC texts (docs/json-output.md).
enum JSONOutput {
    /// `value` as the document printed on stdout, without the final newline.
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints `value` on stdout as the command's only output.
    static func print(_ value: some Encodable) throws {
        Console.out(try text(value))
    }

    /// A time of the journal (seconds since 1970) as ISO 8601 in UTC, to the millisecond:
    /// `2026-12-06T06:11:34.250Z`.
    static func timestamp(_ seconds: Double) -> String {
        let millisecondsTotal = (seconds * 1000).rounded()
        var whole = time_t((millisecondsTotal / 1000).rounded(.down))
        let milliseconds = Int(millisecondsTotal - Double(whole) * 1000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, milliseconds)
    }
}
