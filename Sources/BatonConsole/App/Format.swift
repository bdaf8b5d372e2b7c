import BatonEngine
import Foundation

/// Small text formatters for times and durations on screen.
public enum Format {
    /// A duration as "0.4s", "12s", "3m05s" or "1h02m".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 10 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
    }

    /// A count with its thousands grouped, as "193,905".
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (position, digit) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A time of day as "14:03:07", in the local time zone.
    public static func clock(_ time: Double) -> String {
        var seconds = time_t(time)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// A step's attempts as "attempt in its series/attempts allowed", with the count over
    /// the whole run in brackets once an operator's retry (or a resume) began a new series:
    /// "2/3", "1/1 (2)", "0/3 (3)" before the new series' first attempt starts; "–" before any.
    public static func attempts(_ record: StepRecord, allowed: Int) -> String {
        guard record.attempt > 0 else { return "–" }
        let series = "\(record.attemptInSeries)/\(max(allowed, record.attemptInSeries))"
        return record.attemptBase == 0 ? series : "\(series) (\(record.attempt))"
    }

    /// A step's time: the running time of its attempts (suspensions, backoffs and waits not
    /// counted), and while it is rolling back or rolled back, its rollback's apart:
    /// "1.0s ↺0.4s" ("1.0s rb0.4s" in ASCII). A skipped step, or one that never ran, has
    /// none: "–".
    public static func stepTime(_ record: StepRecord, now: Double, unicode: Bool) -> String {
        guard record.state != .skipped else { return "–" }
        var parts: [String] = []
        if record.attempt > 0 { parts.append(duration(record.runTime(at: now))) }
        let rollbackStates: Set<StepState> = [.rollingBack, .rolledBack, .rollbackFailed]
        if rollbackStates.contains(record.state), let rollback = record.rollbackTime(at: now) {
            parts.append((unicode ? "↺" : "rb") + duration(rollback))
        }
        return parts.isEmpty ? "–" : parts.joined(separator: " ")
    }
}
