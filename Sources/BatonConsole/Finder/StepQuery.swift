import BatonEngine

/// A step finder query, split into its tokens: plain words, matched fuzzily against each
/// step's id, name and host; `state:VALUE`, which keeps the steps in a state whose name
/// starts with VALUE (`state:fail`, `state:waiting`, `state:roll` for the three rollback
/// states); and `host:NAME` (or `on:NAME`, as the workflow writes it), which keeps the steps
/// on that host, or, when no host has that name, on the hosts whose names start with it.
///
/// A step matches when every token does. A token whose value is still empty (`state:` as it
/// is being typed) keeps every step.
public struct StepQuery: Sendable, Hashable {
    /// The plain words, each with its scorer.
    public var words: [FuzzyScorer] = []
    /// The `host:` values, lowercased.
    public var hosts: [String] = []
    /// The states each `state:` token allows.
    public var states: [Set<StepState>] = []
    /// The `state:` values that name no state.
    public var unknownStates: [String] = []

    /// The prefixes of the filtering tokens.
    static let statePrefix = "state:"
    static let hostPrefixes = ["host:", "on:"]

    public init(_ text: String) {
        for token in text.split(whereSeparator: \.isWhitespace) {
            let lowered = token.lowercased()
            if lowered.hasPrefix(Self.statePrefix) {
                let value = String(lowered.dropFirst(Self.statePrefix.count))
                guard !value.isEmpty else { continue }
                let allowed = Self.states(named: value)
                if allowed.isEmpty { unknownStates.append(value) }
                states.append(allowed)
            } else if let prefix = Self.hostPrefixes.first(where: lowered.hasPrefix) {
                let value = String(lowered.dropFirst(prefix.count))
                if !value.isEmpty { hosts.append(value) }
            } else {
                words.append(FuzzyScorer(String(token)))
            }
        }
    }

    /// Whether the query keeps every step: nothing typed but spaces or empty tokens.
    public var isEmpty: Bool { words.isEmpty && hosts.isEmpty && states.isEmpty }

    /// The states whose names start with `value`, lowercased (`rolling_back` also answers to
    /// `rolling-back`).
    static func states(named value: String) -> Set<StepState> {
        let wanted = value.replacingOccurrences(of: "-", with: "_")
        return Set(StepState.allCases.filter { $0.rawValue.hasPrefix(wanted) })
    }

    /// The host names `value` picks among `hosts` (lowercased): the one with that name, else
    /// those whose names start with it.
    static func hosts(named value: String, among hosts: [String]) -> Set<Int> {
        if let exact = hosts.firstIndex(of: value) { return [exact] }
        return Set(hosts.indices.filter { hosts[$0].hasPrefix(value) })
    }

    /// The state a plain word names, if it names one: a word the finder can point to the
    /// `state:` token for when it matches no step.
    public static func stateNamed(byWord word: String) -> StepState? {
        let states = Self.states(named: word.lowercased())
        return states.count == 1 && word.count >= 3 ? states.first : nil
    }
}
