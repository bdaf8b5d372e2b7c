/// An immutable box for the parts of a value most instances leave at their defaults, so that a
/// value of which a run holds thousands (`Step`, `StepRecord`) stays small: the owner keeps nil
/// while every part is at its default, and a new box on each change, so copies never share a
/// change. Equal when what it holds is equal.
final class RareParts<Contents: RarePartsContents>: Sendable, Hashable {
    let contents: Contents

    private init(_ contents: Contents) { self.contents = contents }

    /// The box for `contents`: nil when every part is at its default.
    static func boxing(_ contents: Contents) -> RareParts? {
        contents == Contents() ? nil : RareParts(contents)
    }

    static func == (lhs: RareParts, rhs: RareParts) -> Bool { lhs.contents == rhs.contents }

    func hash(into hasher: inout Hasher) { hasher.combine(contents) }
}

/// What a `RareParts` box holds: its parts, each at its default in `init()`.
protocol RarePartsContents: Sendable, Hashable {
    init()
}

/// A value that keeps its rare parts in a `RareParts` box.
protocol RarePartsOwner {
    associatedtype RareContents: RarePartsContents
    var rare: RareParts<RareContents>? { get set }
}

extension RarePartsOwner {
    /// The rare parts, the defaults when there is no box.
    var rareContents: RareContents { rare?.contents ?? RareContents() }

    /// Changes the rare parts in a new box, so a copy of the value never sees the change.
    mutating func changeRare(_ change: (inout RareContents) -> Void) {
        var contents = rareContents
        change(&contents)
        rare = .boxing(contents)
    }
}
