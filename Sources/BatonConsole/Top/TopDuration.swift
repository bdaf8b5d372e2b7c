import Foundation

/// `baton top`'s times: "42s", "12m05s", "3h12m", "2d04h", and when each next changes.
///
/// The text drops seconds after an hour and minutes after a day, so a wall screen of long
/// runs redraws once a minute or once an hour rather than every second.
public enum TopDuration {
    /// A duration in whole units, never negative.
    public static func text(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? Int(max(0, seconds).rounded(.down)) : 0
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        if whole < 86_400 { return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60) }
        return String(format: "%dd%02dh", whole / 86_400, whole % 86_400 / 3600)
    }

    /// The smallest duration after `seconds` whose text differs from `text(seconds)`.
    public static func nextChange(after seconds: Double) -> Double {
        let whole = seconds.isFinite ? max(0, seconds).rounded(.down) : 0
        let unit: Double = whole < 3600 ? 1 : whole < 86_400 ? 60 : 3600
        return ((whole / unit).rounded(.down) + 1) * unit
    }

    /// The widest text a duration under 100 days takes ("59m59s").
    public static let width = 6
}
