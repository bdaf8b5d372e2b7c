/// An immutable box for the parts of a value most instances leave at their defaults, so that a
/// value of which a run holds thousands (`Step`, `StepRecord`) stays small: the owner keeps nil
/// while every part is at its default, and a new box on each change, so copies never share a
/// change. Equal when what it holds is equal.
final class RareParts<Contents: Sendable & Hashable>: Sendable, Hashable {
    let contents: Contents

    init(_ contents: Contents) { self.contents = contents }

    static func == (lhs: RareParts, rhs: RareParts) -> Bool { lhs.contents == rhs.contents }

    func hash(into hasher: inout Hasher) { hasher.combine(contents) }
}
