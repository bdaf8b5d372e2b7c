import BatonEngine

/// A modal dialog over the console.
public struct Dialog: Sendable, Hashable {
    /// What the dialog is for, and so what Enter does.
    public enum Kind: Sendable, Hashable {
        /// Confirm an operator command.
        case confirm(OperatorCommand)
        /// Decide an approval gate with the typed comment: approve it, or reject it.
        case decision(step: String, approve: Bool)
        /// Confirm quitting while the run is active.
        case quit
        /// The list of every key.
        case help
    }

    public var kind: Kind
    public var title: String
    /// The body, one entry per line.
    public var lines: [String]
    /// The approval comment being typed, with its cursor.
    public var comment = LineEditor(limit: 500)
    /// The values an approval asks for (`approval.inputs`), above the comment.
    public var fields: [DialogField] = []
    /// Which field takes what is typed: a position in `fields`, or `fields.count` for the comment.
    public var focus = 0
    /// Whether the comment takes what is typed.
    public var isCommentFocused: Bool { focus >= fields.count }
    /// Why Enter did not send the decision (a value that does not fit), shown under the fields.
    public var problem: String?
    /// Lines scrolled off the top (help).
    public var scroll: Int = 0
    /// When the gate being decided times out, in seconds since 1970; the dialog counts down to it.
    public var deadline: Double?
    /// What happens to the gate at its deadline: "it is rejected", "it escalates".
    public var onTimeout: String?

    public init(kind: Kind, title: String, lines: [String]) {
        self.kind = kind
        self.title = title
        self.lines = lines
    }
}
