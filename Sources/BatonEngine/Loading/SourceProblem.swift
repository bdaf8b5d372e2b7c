/// One thing wrong with a YAML file Baton reads (a workflow, an inventory, a theme, the
/// console's config), with the position it was found at.
public struct SourceProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the loader.
    public var file: String
    /// Where in the file the problem is, counted from 1.
    public var location: SourceLocation
    /// What is wrong, in a sentence that names the offending key or value.
    public var message: String

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// The problem in the usual compiler form, `file:line:column: message`.
    public var description: String { "\(file):\(location.line):\(location.column): \(message)" }
}
