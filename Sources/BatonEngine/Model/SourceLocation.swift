/// A position in a workflow file, counted from 1, used to point problems at their source.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file, used when a problem has no better position.
    public static let start = SourceLocation(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}
