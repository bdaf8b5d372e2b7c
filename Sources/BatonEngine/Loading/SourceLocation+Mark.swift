import Yams

extension SourceLocation {
    /// The position of a Yams mark; Yams counts lines and columns from 1 already.
    init(_ mark: Mark) {
        self.init(line: max(1, mark.line), column: max(1, mark.column))
    }

    /// The position of a node, or the start of the file when the node has none.
    package init(of node: Node) {
        self = node.mark.map(SourceLocation.init) ?? .start
    }

    /// The same line, `count` columns further right.
    func advanced(by count: Int) -> SourceLocation {
        SourceLocation(line: line, column: column + count)
    }
}
