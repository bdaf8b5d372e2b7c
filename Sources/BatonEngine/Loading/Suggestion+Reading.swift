import Foundation

extension Suggestion {
    /// The word a message's hint suggests, as `hint(for:among:)` writes it (`…; did you mean
    /// 'needs'?…`), or nil when the message has none; for output that gives the suggestion
    /// a field of its own (`baton validate --json`).
    package static func suggested(in message: String) -> String? {
        guard let opening = message.range(of: hintOpening, options: .backwards),
              let closing = message.range(of: hintClosing, range: opening.upperBound..<message.endIndex) else { return nil }
        let word = message[opening.upperBound..<closing.lowerBound]
        return word.isEmpty ? nil : String(word)
    }

    /// What comes before and after the suggested word in a hint.
    static let hintOpening = "; did you mean '"
    static let hintClosing = "'?"
}
