/// Finds the closest known word to a misspelt one, for "did you mean" hints.
package enum Suggestion {
    /// The candidate nearest to `word` by edit distance, if it is close enough to be a likely typo.
    ///
    /// Words of one or two characters get no suggestion, words of three or four may be one edit
    /// away, longer words two. Swapping two neighbouring characters counts as one edit. Ties go to
    /// the earliest candidate.
    package static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
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
    package static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, among: candidates) else { return "" }
        return hintOpening + match + hintClosing
    }

    /// The edit distance between `a` and `b` counting insertions, deletions, substitutions and
    /// swaps of neighbours, or nil when it exceeds `limit`.
    ///
    /// Only the cells within `limit` of the diagonal are computed (any path outside that band
    /// costs more than `limit`), so the work is linear in the length of the words.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        guard limit >= 0, abs(a.count - b.count) <= limit else { return nil }
        // A common prefix or suffix costs nothing: compare only what lies between.
        var start = 0
        while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
        var end = 0
        while end < a.count - start, end < b.count - start, a[a.count - 1 - end] == b[b.count - 1 - end] { end += 1 }
        if start > 0 || end > 0 {
            return editDistance(Array(a[start..<(a.count - end)]), Array(b[start..<(b.count - end)]), limit: limit)
        }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let outside = limit + 1
        // Cells outside the band hold `outside`; row 0 is the distance from the empty prefix.
        var beforePrevious = [Int](repeating: outside, count: b.count + 1)
        var previous = (0...b.count).map { $0 <= limit ? $0 : outside }
        var current = [Int](repeating: outside, count: b.count + 1)
        for i in 1...a.count {
            let low = max(1, i - limit)
            let high = min(b.count, i + limit)
            current[low - 1] = low == 1 && i <= limit ? i : outside
            var rowMinimum = current[low - 1]
            for j in low...high {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforePrevious[j - 2] + 1)
                }
                value = min(value, outside)
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if high < b.count { current[high + 1] = outside }
            if rowMinimum > limit { return nil }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
