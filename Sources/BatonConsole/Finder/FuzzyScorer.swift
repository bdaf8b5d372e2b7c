/// How well a word matches a text as a subsequence, ignoring case: the step finder's scorer.
///
/// Every character of the word must appear in the text in order. A match scores more for
/// characters that follow each other (`web` in `web-1` over `w-e-b`), for characters that
/// start a word of the text (after `-`, `_`, `.`, `[`, a space, …, or a change between
/// letters and digits), for a match at the very start, and for a text that is the word
/// itself; gaps and a longer text cost a little.
///
/// It works in one pass forward and one back over the text (the shortest window that ends
/// at the first place where the whole word has appeared), so it stays linear in the text;
/// it takes texts already lowercased, as Unicode scalar values, so that the caller lowercases
/// each text once rather than once per key.
public struct FuzzyScorer: Sendable, Hashable {
    /// The word as typed.
    public let word: String
    /// The word, lowercased, as Unicode scalar values.
    public let needle: [UInt32]

    /// What one matched character earns.
    static let matchScore = 16
    /// What a character earns when it follows the previous match directly.
    static let consecutiveBonus = 24
    /// What a character earns when it starts a word of the text.
    static let wordStartBonus = 16
    /// What the first character earns when it is the text's first.
    static let prefixBonus = 16
    /// What a text that is the word exactly earns.
    static let exactBonus = 32
    /// What each gap between matched characters costs, and each character in it.
    static let gapOpening = 3
    static let gapExtension = 1

    public init(_ word: String) {
        self.word = word
        needle = Self.folded(word)
    }

    /// Whether the word is empty: it matches every text, scoring 0.
    public var isEmpty: Bool { needle.isEmpty }

    /// A text as the scorer compares it: lowercased, as Unicode scalar values.
    public static func folded(_ text: String) -> [UInt32] {
        // Most ids are ASCII: lowercase those without making a new string.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.map { UInt32($0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0) }
        }
        return text.lowercased().unicodeScalars.map(\.value)
    }

    /// The score of the word in `text`, lowercased by `folded`, or nil when it does not match.
    public func score(_ text: String) -> Int? {
        Self.folded(text).withUnsafeBufferPointer { score($0) }
    }

    /// The score of the word in a text already lowercased (`folded`), or nil when it does not match.
    public func score(_ text: UnsafeBufferPointer<UInt32>) -> Int? {
        guard let window = window(in: text) else { return nil }
        var total = 0
        walk(text, window: window) { position, consecutive in
            total += Self.matchScore
            if consecutive { total += Self.consecutiveBonus }
            if Self.startsWord(text, at: position) { total += Self.wordStartBonus }
            if position == 0 { total += Self.prefixBonus }
        } gap: { length in
            total -= Self.gapOpening + Self.gapExtension * (length - 1)
        }
        if window.lowerBound == 0 && text.count == needle.count { total += Self.exactBonus }
        // Of two texts that match alike, the shorter, and the one matched sooner, first.
        total -= min(window.lowerBound, 8) + min(text.count - needle.count, 32) / 4
        return total
    }

    /// The positions (in Unicode scalars) of the characters of `text` that the word matched,
    /// for highlighting; nil when it does not match.
    public func positions(in text: String) -> [Int]? {
        Self.folded(text).withUnsafeBufferPointer { folded in
            guard let window = window(in: folded) else { return nil }
            var positions: [Int] = []
            positions.reserveCapacity(needle.count)
            walk(folded, window: window) { position, _ in positions.append(position) } gap: { _ in }
            return positions
        }
    }

    /// The shortest stretch of `text` holding the word that ends where the word first has
    /// appeared whole; nil when it does not appear. An empty word matches nowhere in particular.
    private func window(in text: UnsafeBufferPointer<UInt32>) -> ClosedRange<Int>? {
        guard !needle.isEmpty else { return nil }
        guard text.count >= needle.count else { return nil }
        var found = 0
        var end = -1
        for position in 0..<text.count where text[position] == needle[found] {
            found += 1
            if found == needle.count {
                end = position
                break
            }
        }
        guard end >= 0 else { return nil }
        var wanted = needle.count - 1
        var start = end
        while true {
            if text[start] == needle[wanted] {
                if wanted == 0 { break }
                wanted -= 1
            }
            start -= 1
        }
        return start...end
    }

    /// Walks the matched characters of a window left to right: `matched` with each one's
    /// position and whether it follows the previous match directly, `gap` with the length of
    /// each run of unmatched characters between two matches.
    private func walk(_ text: UnsafeBufferPointer<UInt32>, window: ClosedRange<Int>,
                      matched: (Int, Bool) -> Void, gap: (Int) -> Void) {
        var next = 0
        var previous = -1
        for position in window where next < needle.count && text[position] == needle[next] {
            if previous >= 0 && position > previous + 1 { gap(position - previous - 1) }
            matched(position, previous >= 0 && position == previous + 1)
            previous = position
            next += 1
        }
    }

    /// Whether the character at `position` starts a word: it is the first, follows a
    /// character that is neither a letter nor a digit, or is a letter after a digit or a
    /// digit after a letter (`web` and `12` in `web12`).
    static func startsWord(_ text: UnsafeBufferPointer<UInt32>, at position: Int) -> Bool {
        guard position > 0 else { return true }
        let before = kind(text[position - 1]), current = kind(text[position])
        return before == .separator || (current != .separator && before != current)
    }

    private enum Kind { case letter, digit, separator }

    private static func kind(_ value: UInt32) -> Kind {
        switch value {
        case 0x30...0x39: return .digit
        case 0x61...0x7A: return .letter
        // Beyond ASCII, a character is taken as a letter: ids there are rare and words in
        // them are not worth a Unicode table per key.
        case 0x80...: return .letter
        default: return .separator
        }
    }
}
