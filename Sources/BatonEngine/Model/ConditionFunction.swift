/// A function a `when:` expression can call, such as `contains(a, b)` or `failure()`.
public enum ConditionFunction: String, Sendable, Hashable, CaseIterable {
    case contains
    case startsWith
    case endsWith
    case fromJSON
    case toJSON
    case format
    case success
    case failure
    case always
    case cancelled

    /// The name as written in an expression; names are case-sensitive.
    public var name: String { rawValue }

    /// How many arguments a call takes: `format` takes its template and any number of values.
    public var arity: ClosedRange<Int> {
        switch self {
        case .contains, .startsWith, .endsWith: return 2...2
        case .fromJSON, .toJSON: return 1...1
        case .format: return 1...Int.max
        case .success, .failure, .always, .cancelled: return 0...0
        }
    }

    /// The call as the documentation writes it, for error messages.
    public var signature: String {
        switch self {
        case .contains: return "contains(haystack, needle)"
        case .startsWith: return "startsWith(text, prefix)"
        case .endsWith: return "endsWith(text, suffix)"
        case .fromJSON: return "fromJSON(text)"
        case .toJSON: return "toJSON(value)"
        case .format: return "format(template, value0, value1, …)"
        case .success, .failure, .always, .cancelled: return "\(rawValue)()"
        }
    }

    /// Whether the function asks how the needed steps and the run went: a step whose `when:`
    /// calls one is evaluated after a need failed, was cancelled or blocked, instead of being
    /// blocked with it.
    public var isStateFunction: Bool {
        switch self {
        case .success, .failure, .always, .cancelled: return true
        case .contains, .startsWith, .endsWith, .fromJSON, .toJSON, .format: return false
        }
    }

    /// The expected number of arguments in words: "2 arguments", "no arguments".
    var expectedCount: String {
        if arity.upperBound == Int.max {
            return "at least \(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
        }
        switch arity.lowerBound {
        case 0: return "no arguments"
        case 1: return "1 argument"
        default: return "\(arity.lowerBound) arguments"
        }
    }
}
