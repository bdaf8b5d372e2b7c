import Foundation

/// Replaces the values of secret variables with `***` in text Baton stores or shows.
///
/// Matching is done on the UTF-8 bytes, so a secret is found wherever its characters appear,
/// even inside a longer word or followed by a combining mark (which string comparison would
/// read as a different character). Every place any secret covers is masked at once: secrets
/// that overlap, or one inside another, become a single `***` and leave no part of either in
/// view. A secret of several lines is also masked line by line (each line of at least
/// ``minimumLineLength`` characters once trimmed), because step output arrives in chunks that
/// may end between its lines.
public struct SecretRedactor: Sendable, Hashable {
    /// The secret values, longest first.
    public let values: [String]
    /// What is searched for: the values and the lines of values that span lines, as UTF-8.
    private let patterns: [[UInt8]]
    /// The patterns without a newline: what a search of a single line can find.
    private let linePatterns: [[UInt8]]

    /// The shortest line of a secret that spans lines that is masked on its own; shorter lines
    /// (a lone `{` of a JSON document) would mask too much ordinary text.
    public static let minimumLineLength = 4

    public init(values: [String]) {
        self.values = Array(Set(values.filter { !$0.isEmpty })).sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
        var patterns = Set(self.values.map { Array($0.utf8) })
        for value in self.values where value.contains(where: \.isNewline) {
            for line in value.split(whereSeparator: \.isNewline) {
                let piece = line.trimmingCharacters(in: .whitespaces)
                if piece.unicodeScalars.count >= Self.minimumLineLength { patterns.insert(Array(piece.utf8)) }
            }
        }
        self.patterns = patterns.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        self.linePatterns = self.patterns.filter { !$0.contains(0x0A) }
    }

    /// The values of the workflow's `secrets`, looked up in the workflow's `env`, in every
    /// step's `env` and in `environment`.
    public init(workflow: Workflow, environment: [String: String]) {
        var found: [String] = []
        for name in workflow.secrets {
            if let value = workflow.env[name] { found.append(value) }
            if let value = environment[name] { found.append(value) }
            for step in workflow.steps { if let value = step.env[name] { found.append(value) } }
        }
        self.init(values: found)
    }

    public var isEmpty: Bool { values.isEmpty }

    /// Everything masked wherever it appears: the values and the lines of values that span lines.
    public var searchedTexts: [String] { patterns.map { String(decoding: $0, as: UTF8.self) } }

    /// The text with every place a secret covers replaced by `***`.
    public func redact(_ text: String) -> String {
        guard !patterns.isEmpty, !text.isEmpty else { return text }
        var copy = text
        let redacted = copy.withUTF8 { bytes -> String? in
            let ranges = covered(in: bytes)
            guard !ranges.isEmpty else { return nil }
            return String(decoding: Self.masking(ranges, of: bytes), as: UTF8.self)
        }
        return redacted ?? text
    }

    /// Whether `text` holds any secret.
    public func reveals(_ text: String) -> Bool {
        guard !patterns.isEmpty, !text.isEmpty else { return false }
        var text = text
        return text.withUTF8 { !covered(in: $0).isEmpty }
    }

    /// The bytes of whole lines with each line masked as `redact(_:)` masks a line: for
    /// output kept as the bytes the step printed, which need not be valid UTF-8, and which
    /// comes a chunk of lines at a time (see `OutputChunk`). One search over the chunk gives
    /// what a search of each line would, because only patterns without a newline are looked
    /// for, and those cannot match across lines. Bytes with no secret come back uncopied.
    public func redact(bytes: [UInt8]) -> [UInt8] {
        guard !linePatterns.isEmpty, !bytes.isEmpty else { return bytes }
        return bytes.withUnsafeBufferPointer { buffer in
            let ranges = covered(in: buffer, by: linePatterns)
            guard !ranges.isEmpty else { return bytes }
            return Self.masking(ranges, of: buffer)
        }
    }

    /// The bytes with each of `ranges` (sorted, apart) replaced by the mask.
    private static func masking(_ ranges: [Range<Int>], of bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var position = 0
        for range in ranges {
            result.append(contentsOf: bytes[position..<range.lowerBound])
            result.append(contentsOf: mask)
            position = range.upperBound
        }
        result.append(contentsOf: bytes[position...])
        return result
    }

    /// The text, or nil, redacted.
    public func redact(_ text: String?) -> String? { text.map { redact($0) } }

    /// A mapping with every value redacted, and every key that holds a secret too.
    public func redact(_ mapping: [String: String]) -> [String: String] {
        guard !values.isEmpty else { return mapping }
        var result: [String: String] = [:]
        for (key, value) in mapping { result[redact(key)] = redact(value) }
        return result
    }

    private static let mask: [UInt8] = Array("***".utf8)

    /// The byte ranges of `bytes` that some secret covers, merged where they overlap or touch,
    /// in order.
    private func covered(in bytes: UnsafeBufferPointer<UInt8>, by patterns: [[UInt8]]? = nil) -> [Range<Int>] {
        guard let base = bytes.baseAddress else { return [] }
        var ranges: [Range<Int>] = []
        for pattern in patterns ?? self.patterns where pattern.count <= bytes.count {
            pattern.withUnsafeBufferPointer { needle in
                guard let needleBase = needle.baseAddress else { return }
                let first = Int32(needle[0])
                var start = 0
                // Find each place the first byte occurs where the whole pattern still fits, then compare.
                while start + needle.count <= bytes.count,
                      let hit = memchr(base + start, first, bytes.count - needle.count - start + 1) {
                    let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, needleBase, needle.count) == 0 { ranges.append(offset..<(offset + needle.count)) }
                    start = offset + 1
                }
            }
        }
        guard ranges.count > 1 else { return ranges }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = [ranges[0]]
        for range in ranges.dropFirst() {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
