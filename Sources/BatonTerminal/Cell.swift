/// One terminal cell: the text drawn in it and its style.
///
/// A wide character (two columns) sits in its first cell; the cell after it holds an empty
/// `symbol` and `isContinuation` set, so that a buffer row always has one cell per column.
public struct Cell: Sendable, Hashable {
    /// The grapheme drawn here: usually one character, possibly with combining marks.
    public var symbol: String
    public var style: Style
    /// True for the second column of a wide character.
    public var isContinuation: Bool

    public init(_ symbol: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
