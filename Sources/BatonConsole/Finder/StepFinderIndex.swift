import BatonEngine

/// Every step's texts as the step finder matches them, lowercased once per workflow: its id,
/// its name (`name:`, when it is not the id) and its host (`on:`), back to back in one array,
/// so that a key in the finder scores 10,000 steps without making a string per step.
///
/// `ConsoleContext.finderIndex(for:)` makes it the first time the finder is used and keeps
/// it until the workflow grows.
public struct StepFinderIndex: Sendable {
    /// How many steps it holds: the workflow's steps when it was made.
    public let stepCount: Int
    /// Every step's fields, lowercased, as Unicode scalar values.
    private let scalars: [UInt32]
    /// Where the fields start in `scalars`: step `i`'s field `f` is
    /// `offsets[i * fieldCount + f] ..< offsets[i * fieldCount + f + 1]`.
    private let offsets: [Int]
    /// Each step's host, as a position in `hostNames`; -1 for a step that runs here.
    private let hostOfStep: [Int]
    /// The hosts steps run on, lowercased.
    let hostNames: [String]

    /// Id, name, host.
    private static let fieldCount = 3

    public init(workflow: Workflow) {
        var scalars: [UInt32] = []
        var offsets: [Int] = [0]
        var hostOfStep: [Int] = []
        var hostNames: [String] = []
        var hostPositions: [String: Int] = [:]
        offsets.reserveCapacity(workflow.steps.count * Self.fieldCount + 1)
        hostOfStep.reserveCapacity(workflow.steps.count)
        for step in workflow.steps {
            let name = step.name.flatMap { $0 == step.id ? nil : $0 }
            for field in [step.id, name ?? "", step.host ?? ""] {
                scalars += FuzzyScorer.folded(field)
                offsets.append(scalars.count)
            }
            if let host = step.host?.lowercased() {
                let position = hostPositions[host] ?? hostNames.count
                if position == hostNames.count {
                    hostNames.append(host)
                    hostPositions[host] = position
                }
                hostOfStep.append(position)
            } else {
                hostOfStep.append(-1)
            }
        }
        stepCount = workflow.steps.count
        self.scalars = scalars
        self.offsets = offsets
        self.hostOfStep = hostOfStep
        self.hostNames = hostNames
    }

    /// What `text` keeps of the steps: those its words and hosts match, best first, and the
    /// states its `state:` tokens allow; nil when it keeps every step.
    public func narrowing(for text: String) -> StepNarrowing? {
        let query = StepQuery(text)
        guard !query.isEmpty else { return nil }
        // The host tokens, each as the set of hosts it names.
        let hostTokens = query.hosts.map { StepQuery.hosts(named: $0, among: hostNames) }
        var matched = [Bool](repeating: false, count: stepCount)
        // Score and position in one Int, so that sorting compares plain integers: a higher
        // score first, then file order.
        var keys: [Int] = []
        keys.reserveCapacity(query.words.isEmpty ? stepCount : 256)
        scalars.withUnsafeBufferPointer { text in
            for step in 0..<stepCount {
                if !hostTokens.isEmpty {
                    let host = hostOfStep[step]
                    guard host >= 0, hostTokens.allSatisfy({ $0.contains(host) }) else { continue }
                }
                var total = 0
                var matchesAll = true
                for word in query.words {
                    guard let best = bestScore(of: word, step: step, in: text) else {
                        matchesAll = false
                        break
                    }
                    total += best
                }
                guard matchesAll else { continue }
                matched[step] = true
                keys.append((Self.scoreBias - total) << Self.positionBits | step)
            }
        }
        keys.sort()
        let mask = (1 << Self.positionBits) - 1
        return StepNarrowing(query: text, parsed: query, ranked: keys.map { $0 & mask }, matched: matched)
    }

    /// The best score of a word over a step's fields; the id wins a tie.
    private func bestScore(of word: FuzzyScorer, step: Int, in text: UnsafeBufferPointer<UInt32>) -> Int? {
        var best: Int?
        for field in 0..<Self.fieldCount {
            let start = offsets[step * Self.fieldCount + field], end = offsets[step * Self.fieldCount + field + 1]
            guard end > start, let score = word.score(UnsafeBufferPointer(rebasing: text[start..<end])) else { continue }
            let weighted = field == 0 ? score : score - 1
            best = max(best ?? weighted, weighted)
        }
        return best
    }

    /// Room for 2^24 steps in a sort key, and for scores far beyond any word's.
    private static let positionBits = 24
    private static let scoreBias = 1 << 30
}
