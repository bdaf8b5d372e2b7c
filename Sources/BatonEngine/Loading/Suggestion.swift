/// Finds the closest known word to a misspelt one, for "did you mean" hints.
public enum Suggestion {
    /// The candidate nearest to `word` by edit distance, if it is close enough to be a likely typo.
    ///
    /// Words of one or two characters get no suggestion, words of three or four may be one edit
    /// away, longer words two. Swapping two neighbouring characters counts as one edit. Ties go to
    /// the earliest candidate.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(word.unicodeScalars)
        let limit = target.count <= 2 ? 0 : target.count <= 4 ? 1 : 2
        guard limit > 0 else { return nil }
        var best: (word: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let bound = min(limit, (best?.distance ?? limit + 1) - 1)
            guard bound >= 0 else { break }
            let scalars = Array(candidate.unicodeScalars)
            guard abs(scalars.count - target.count) <= bound else { continue }
            if let distance = editDistance(target, scalars, limit: bound) {
                best = (candidate, distance)
            }
        }
        return best?.word
    }

    /// The hint text, such as `; did you mean 'needs'?`, or an empty string.
    public static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, among: candidates) else { return "" }
        return "; did you mean '\(match)'?"
    }

    /// The edit distance between `a` and `b` counting insertions, deletions, substitutions and
    /// swaps of neighbours, or nil when it exceeds `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        if a.isEmpty { return b.count <= limit ? b.count : nil }
        if b.isEmpty { return a.count <= limit ? a.count : nil }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforePrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
