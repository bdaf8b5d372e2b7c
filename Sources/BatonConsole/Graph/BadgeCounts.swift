import BatonEngine

/// The counts a badge shows for some steps: succeeded, active (running, retrying, suspended,
/// rolling back) and failed (a failed rollback too), each left out at zero: a fan-out group's
/// node, and each host in the graph's host badges.
public enum BadgeCounts {
    /// The counts as pieces, each with the state whose colour it takes: `✔9`, `▶2`, `✘1`
    /// (ASCII `v9`, `>2`, `X1`).
    public static func pieces(_ states: [StepState], unicode: Bool) -> [(text: String, state: StepState)] {
        var done = 0, active = 0, failed = 0
        for state in states {
            switch state {
            case .succeeded: done += 1
            case .running, .retrying, .suspended, .rollingBack: active += 1
            case .failed, .rollbackFailed: failed += 1
            default: break
            }
        }
        return [(StepState.succeeded, done), (.running, active), (.failed, failed)].filter { $0.1 > 0 }.map {
            (glyph($0.0, unicode: unicode) + String($0.1), $0.0)
        }
    }

    /// The glyph a count starts with: `✔`, `▶` or `✘`.
    public static func glyph(_ state: StepState, unicode: Bool) -> String {
        switch state {
        case .succeeded: return unicode ? "✔" : "v"
        case .failed, .rollbackFailed: return unicode ? "✘" : "X"
        default: return unicode ? "▶" : ">"
        }
    }
}
